import { pathToFileURL } from "node:url";
import { MigrationError } from "../migration-errors.ts";

let typescriptHook: Promise<void> | undefined;

/**
 * Imports a module by path; TypeScript files (revision files, the models) load however the
 * running Node can: natively where it strips types (Node ≥ 22.18, or 22.6 with
 * `--experimental-strip-types`), already through a loader (`tsx`, vitest), or else by
 * registering `tsx` (an optional peer dependency) on first need
 * (docs/adr/0010-migrations.md).
 */
export async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_UNKNOWN_FILE_EXTENSION" || !/\.[cm]?ts$/.test(path)) throw error;
  }
  await (typescriptHook ??= registerTsx());
  // A new URL: the failed attempt above may be cached under the plain one.
  return (await import(`${url}?tsx`)) as Record<string, unknown>;
}

async function registerTsx(): Promise<void> {
  const specifier = "tsx/esm/api";
  let api: { register(): unknown };
  try {
    api = (await import(specifier)) as { register(): unknown };
  } catch {
    throw new MigrationError(
      `This Node.js (${process.version}) cannot load TypeScript files by itself: install tsx (npm install -D tsx) ` +
        "and tsalchemy uses it, or run Node ≥ 22.18, or write the models and revisions as .js",
    );
  }
  api.register();
}
