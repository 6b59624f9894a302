import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { RevisionGraph } from "../graph/revision-graph.ts";
import type { RevisionScript } from "../graph/revision-script.ts";
import { MigrationError } from "../migration-errors.ts";
import { importModule } from "./import-module.ts";

const REVISION_FILE = /^[0-9A-Za-z]+_.*\.(ts|mts|js|mjs)$/;

/**
 * The folder of revision files (Alembic's `ScriptDirectory`): `<id>_<slug>.ts`, each exporting
 * `revision`, `downRevision`, `message`, `upgrade` and `downgrade`.
 */
export class ScriptDirectory {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Imports every revision file, checking that each exports what a revision needs. */
  async scripts(): Promise<RevisionScript[]> {
    let names: string[];
    try {
      names = await readdir(this.path);
    } catch {
      throw new MigrationError(`No migrations folder at ${this.path}: run \`tsalchemy init\` first`);
    }
    const files = names.filter((n) => REVISION_FILE.test(n) && !n.endsWith(".d.ts")).sort();
    const scripts: RevisionScript[] = [];
    for (const file of files) {
      const path = join(this.path, file);
      const module = await importModule(path);
      const { revision, downRevision, upgrade, downgrade, message } = module;
      if (typeof revision !== "string" || typeof upgrade !== "function" || typeof downgrade !== "function" || downRevision === undefined) {
        throw new MigrationError(`${path} is not a revision: it must export revision, downRevision, upgrade and downgrade`);
      }
      scripts.push({
        revision,
        downRevision: downRevision as RevisionScript["downRevision"],
        ...(typeof message === "string" ? { message } : {}),
        upgrade: upgrade as RevisionScript["upgrade"],
        downgrade: downgrade as RevisionScript["downgrade"],
        path,
      });
    }
    return scripts;
  }

  /** The revision graph of the folder. */
  async graph(): Promise<RevisionGraph> {
    return new RevisionGraph(await this.scripts());
  }

  /** Writes a new revision file; returns its path. */
  async write(id: string, slug: string, text: string): Promise<string> {
    await mkdir(this.path, { recursive: true });
    const path = join(this.path, `${id}_${slug}.ts`);
    await writeFile(path, text, { flag: "wx" });
    return path;
  }
}
