import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A missing client library (issue #9), without mocks: a Node process (through tsx, as the package
 * ships TypeScript) runs from a temporary folder with no node_modules above it, so Node's own
 * resolver fails. One probe loads made-up packages through the helper; the other runs a copy of
 * `src/` where `pg`, `mysql2`, `better-sqlite3` and PGlite are genuinely absent.
 */
const ROOT = resolve(import.meta.dirname, "../../..");

interface Outcome {
  readonly name: string;
  readonly code?: string;
  readonly packageName?: string;
  readonly message: string;
}

let dir: string;

function writePackage(name: string, files: Record<string, string>): void {
  const folder = join(dir, "node_modules", name);
  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
}

/** Runs `script` (TypeScript) from the temporary folder and returns what it printed as JSON. */
function probe(script: string): Record<string, Outcome> {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, script);
  const output = execFileSync(process.execPath, ["--import", "tsx", file], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(output) as Record<string, Outcome>;
}

const OUTCOME = `(error: any) => ({ name: error.name, code: error.code, packageName: error.packageName, message: error.message })`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tsal-missing-driver-"));
  cpSync(join(ROOT, "src"), join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "package.json"), `{ "type": "module" }`);
  writePackage("needs-missing-dep", { "index.js": `require("tsal-absent-transitive");\n` });
  writePackage("needs-missing-esm-dep", {
    "package.json": `{ "type": "module", "exports": "./index.js" }`,
    "index.js": `import "tsal-absent-transitive-esm";\n`,
  });
  writePackage("throws-on-load", { "index.js": `throw new Error("boom inside the driver");\n` });
  writePackage("missing-main", { "package.json": `{ "main": "lib/gone.js" }` });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("loadClientLibrary", () => {
  it("turns only a missing package into MissingDriverError; errors from an installed package pass through", () => {
    const outcomes = probe(`
      import { loadClientLibrary } from "./src/core/drivers/load-client-library.ts";
      const outcome = ${OUTCOME};
      const results: Record<string, unknown> = {};
      const load = (specifier: string, packageName: string) =>
        loadClientLibrary({ database: "PostgreSQL", packageName }, () => import(specifier)).then(
          () => ({ name: "loaded" }),
          outcome,
        );
      results.absent = await load("tsal-absent-driver", "tsal-absent-driver");
      results.absentSubpath = await load("tsal-absent-driver/promise", "tsal-absent-driver");
      results.transitive = await load("needs-missing-dep", "needs-missing-dep");
      results.transitiveEsm = await load("needs-missing-esm-dep", "needs-missing-esm-dep");
      results.throws = await load("throws-on-load", "throws-on-load");
      results.missingMain = await load("missing-main", "missing-main");
      console.log(JSON.stringify(results));
    `);
    expect(outcomes["absent"]).toEqual({
      name: "MissingDriverError",
      code: "missing-driver",
      packageName: "tsal-absent-driver",
      message: `The PostgreSQL driver "tsal-absent-driver" is not installed. Install it with: npm install tsal-absent-driver`,
    });
    expect(outcomes["absentSubpath"]?.name).toBe("MissingDriverError");
    expect(outcomes["transitive"]).toMatchObject({ name: "Error", code: "MODULE_NOT_FOUND" });
    expect(outcomes["transitive"]?.message).toMatch(/Cannot find module 'tsal-absent-transitive'/);
    expect(outcomes["transitiveEsm"]).toMatchObject({ name: "Error", code: "ERR_MODULE_NOT_FOUND" });
    expect(outcomes["transitiveEsm"]?.message).toMatch(/Cannot find package 'tsal-absent-transitive-esm'/);
    expect(outcomes["throws"]).toMatchObject({ name: "Error", message: "boom inside the driver" });
    // The package is there, its main file is not: Node's own error, not "install it".
    expect(outcomes["missingMain"]).toMatchObject({ name: "Error", code: "ERR_MODULE_NOT_FOUND" });
  });

  it("names the package to install when an engine's driver is absent", () => {
    const outcomes = probe(`
      import { createAsyncEngine } from "./src/index.ts";
      const outcome = ${OUTCOME};
      const results: Record<string, unknown> = {};
      for (const url of ["postgresql://u@127.0.0.1:1/db", "mysql://root@127.0.0.1:1/db", "sqlite://:memory:", "pglite://"]) {
        const engine = createAsyncEngine(url);
        results[url] = await engine.connect().then(() => ({ name: "connected" }), outcome);
      }
      console.log(JSON.stringify(results));
    `);
    const missing = (packageName: string, database: string) => ({
      name: "MissingDriverError",
      code: "missing-driver",
      packageName,
      message: `The ${database} driver "${packageName}" is not installed. Install it with: npm install ${packageName}`,
    });
    expect(outcomes).toEqual({
      "postgresql://u@127.0.0.1:1/db": missing("pg", "PostgreSQL"),
      "mysql://root@127.0.0.1:1/db": missing("mysql2", "MySQL / MariaDB"),
      "sqlite://:memory:": missing("better-sqlite3", "SQLite"),
      "pglite://": missing("@electric-sql/pglite", "PostgreSQL (PGlite)"),
    });
  });
});
