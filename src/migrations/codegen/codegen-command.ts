import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { generateModels } from "./generate-models.ts";

/** What `tsalchemy codegen` needs from its caller: the engine factory, the working folder, output. */
export interface CodegenIo {
  readonly cwd: string;
  createEngine(url: string): AsyncEngine;
  write(text: string): void;
  error(text: string): void;
  /** The engine belongs to the caller: the command does not dispose of it. */
  readonly keepEngines?: boolean;
}

/** The usage line of the command, for the CLI's help. */
export const CODEGEN_USAGE = "codegen <url> [--out <file>] [--schema <s>] [--tables a,b]";

/**
 * `tsalchemy codegen <url> [--out <file>] [--schema <s>] [--tables a,b]` (sqlacodegen's command
 * line): reflects the database at `url` and writes the model module to `--out`, or to stdout.
 * Returns the exit code: 0, or 2 for a usage error.
 *
 * ```sh
 * npx tsalchemy codegen postgresql://app@localhost/app --out src/models.ts --tables orgs,users
 * ```
 */
export async function runCodegenCommand(argv: readonly string[], io: CodegenIo): Promise<number> {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(out|schema|tables)(?:=(.*))?$/.exec(argv[i]!);
    if (match === null) {
      if (argv[i]!.startsWith("--")) return usage(io, `codegen: unknown option ${argv[i]}`);
      positional.push(argv[i]!);
    } else if (match[2] !== undefined) flags.set(match[1]!, match[2]);
    else if (i + 1 < argv.length) flags.set(match[1]!, argv[++i]!);
    else return usage(io, `codegen: --${match[1]} needs a value`);
  }
  const [url, ...rest] = positional;
  if (url === undefined || rest.length > 0) return usage(io, "codegen needs one database URL");
  const schema = flags.get("schema");
  const tables = flags.get("tables")?.split(",").map((t) => t.trim()).filter((t) => t !== "");
  const engine = io.createEngine(url);
  let source: string;
  try {
    source = await generateModels(engine, { ...(schema === undefined ? {} : { schema }), ...(tables === undefined ? {} : { tables }) });
  } finally {
    if (io.keepEngines !== true) await engine.dispose();
  }
  const out = flags.get("out");
  if (out === undefined) io.write(source);
  else {
    await writeFile(resolve(io.cwd, out), source);
    io.write(`wrote ${out}\n`);
  }
  return 0;
}

function usage(io: CodegenIo, message: string): number {
  io.error(`${message}\n\nusage: tsalchemy ${CODEGEN_USAGE}\n`);
  return 2;
}
