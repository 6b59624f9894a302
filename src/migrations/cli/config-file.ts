import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { MetaData } from "../../core/schema/metadata.ts";
import type { MigrationConfig } from "../migration-commands.ts";
import { MigrationError } from "../migration-errors.ts";
import { importModule } from "../script/import-module.ts";

/** The config file `tsalchemy init` writes, read from the working directory. */
export const CONFIG_FILE = "tsalchemy.config.json";

/** `tsalchemy.config.json`, as written. */
export interface ConfigFile {
  /** The database URL; `TSALCHEMY_URL` in the environment overrides it. */
  readonly url?: string;
  /** `./src/models.ts` or `./src/models.ts#Base`: a module exporting a `MetaData` (or a base with `.metadata`). */
  readonly metadata?: string;
  /** The revisions folder, relative to the config file. */
  readonly migrations?: string;
  readonly versionTable?: string;
  readonly compareServerDefault?: boolean;
}

/** Reads the config file into the commands' config; paths are relative to the file. */
export async function loadConfig(path: string, env: Readonly<Record<string, string | undefined>>): Promise<MigrationConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MigrationError(`No ${CONFIG_FILE} here (${path}): run \`tsalchemy init\``);
  }
  const file = JSON.parse(text) as ConfigFile;
  const root = dirname(path);
  const url = env.TSALCHEMY_URL ?? file.url;
  if (!url) throw new MigrationError(`No database URL: set "url" in ${CONFIG_FILE} or TSALCHEMY_URL`);
  const metadataRef = file.metadata;
  return {
    url,
    migrations: resolve(root, file.migrations ?? "migrations"),
    ...(metadataRef === undefined ? {} : { metadata: () => loadMetadata(resolve(root, metadataRef.split("#")[0]!), metadataRef.split("#")[1]) }),
    ...(file.versionTable === undefined ? {} : { versionTable: file.versionTable }),
    ...(file.compareServerDefault === undefined ? {} : { compareServerDefault: file.compareServerDefault }),
  };
}

/** The models' `MetaData` the config file names (no database URL needed): what `tsalchemy erd` draws. */
export async function loadConfiguredMetadata(path: string): Promise<MetaData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MigrationError(`No ${CONFIG_FILE} here (${path}): run \`tsalchemy init\``);
  }
  const ref = (JSON.parse(text) as ConfigFile).metadata;
  if (ref === undefined) throw new MigrationError(`${CONFIG_FILE} names no "metadata" module (./src/models.ts)`);
  const [modulePath, exportName] = ref.split("#");
  return loadMetadata(resolve(dirname(path), modulePath as string), exportName);
}

/** The models' `MetaData`: the named export, else `metadata`, `Base.metadata` or the default export. */
export async function loadMetadata(path: string, exportName: string | undefined): Promise<MetaData> {
  const module = await importModule(path);
  const candidates = exportName === undefined ? [module.metadata, module.Base, module.default] : [module[exportName]];
  for (const candidate of candidates) {
    if (isMetaData(candidate)) return candidate;
    const nested = (candidate as { metadata?: unknown } | undefined)?.metadata;
    if (isMetaData(nested)) return nested;
  }
  throw new MigrationError(`${path} exports no MetaData${exportName ? ` named ${exportName}` : " (export `metadata`, or `Base` from declarativeBase)"}`);
}

/** Structural: the models may load the package through another path than the CLI (dist vs src). */
function isMetaData(value: unknown): value is MetaData {
  return typeof value === "object" && value !== null && (value as { tables?: unknown }).tables instanceof Map && "sortedTables" in value;
}
