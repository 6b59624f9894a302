import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  MAX_FILE_LINES,
  type RuleName,
  checkArchitecture,
  extractImports,
  readSourceTree,
} from "../../scripts/lint-architecture.ts";

/** A small tree that follows every rule; each test adds or replaces files to break one. */
const VALID_TREE: Readonly<Record<string, string>> = {
  "src/shared/errors.ts": "export class TsalchemyError extends Error {}\n",
  "src/core/types/sql-type.ts": 'import { TsalchemyError } from "../../shared/errors.ts";\nexport class SqlType {}\n',
  "src/core/sql/nodes.ts": 'import type { SqlType } from "../types/sql-type.ts";\nexport type Node = { kind: "x"; type: SqlType };\n',
  "src/core/sql/select.ts": 'import type { Node } from "./nodes.ts";\nexport function select(): Node[] { return []; }\n',
  "src/core/schema/table.ts": 'import { select } from "../sql/select.ts";\nimport { SqlType } from "../types/sql-type.ts";\nexport class Table {}\n',
  "src/core/compiler/sql-compiler.ts": [
    'import type { Dialect } from "../dialects/dialect.ts";',
    'import { Table } from "../schema/table.ts";',
    "export class SqlCompiler { constructor(readonly dialect: Dialect) {} }",
  ].join("\n"),
  "src/core/dialects/dialect.ts": 'import type { SqlCompiler } from "../compiler/sql-compiler.ts";\nexport interface Dialect { compiler?: SqlCompiler }\n',
  "src/core/dialects/sqlite/sqlite-dialect.ts": [
    'import type { Dialect } from "../dialect.ts";',
    'import { SqlCompiler } from "../../compiler/sql-compiler.ts";',
    'import { quote } from "./sqlite-quote.ts";',
    "export class SqliteDialect implements Dialect {}",
  ].join("\n"),
  "src/core/dialects/sqlite/sqlite-quote.ts": "export const quote = (s: string): string => s;\n",
  "src/core/dialects/sqlite/index.ts": 'export { SqliteDialect } from "./sqlite-dialect.ts";\n',
  "src/core/dialects/postgresql/postgresql-dialect.ts": 'import { SqlCompiler } from "../../compiler/sql-compiler.ts";\nexport class PostgresqlDialect {}\n',
  "src/core/drivers/driver.ts": "export interface Driver { name: string }\n",
  "src/core/drivers/translate-error.ts": 'import { TsalchemyError } from "../../shared/errors.ts";\nexport function translateDriverError(): void {}\n',
  "src/core/drivers/sqlstate-classifier.ts": 'import { translateDriverError } from "./translate-error.ts";\nexport const classify = 1;\n',
  "src/core/drivers/pg/pg-driver.ts": [
    'import type { Pool } from "pg";',
    'import type { Driver } from "../driver.ts";',
    'import { translateDriverError } from "../translate-error.ts";',
    'import { classify } from "../sqlstate-classifier.ts";',
    'import { TsalchemyError } from "../../../shared/errors.ts";',
    'import { pgTypes } from "./pg-types.ts";',
    "export class PgDriver implements Driver {",
    '  name = "pg";',
    '  async load(): Promise<typeof import("pg")> { return await import("pg"); }',
    "}",
  ].join("\n"),
  "src/core/drivers/pg/pg-types.ts": "export const pgTypes = {};\n",
  "src/core/drivers/better-sqlite3/better-sqlite3-driver.ts": [
    'import type Database from "better-sqlite3";',
    'import type { Driver } from "../driver.ts";',
    "export class BetterSqlite3Driver {}",
  ].join("\n"),
  "src/core/pool/pool.ts": [
    'import type { Driver } from "../drivers/driver.ts";',
    'import type { Dialect } from "../dialects/dialect.ts";',
    'import { SqlCompiler } from "../compiler/sql-compiler.ts";',
    "export class Pool {}",
  ].join("\n"),
  "src/core/engine/async-engine.ts": [
    'import { Pool } from "../pool/pool.ts";',
    'import type { Dialect } from "../dialects/dialect.ts";',
    'import { select } from "../sql/select.ts";',
    'import { Table } from "../schema/table.ts";',
    'import { SqlType } from "../types/sql-type.ts";',
    "export class AsyncEngine {}",
  ].join("\n"),
  "src/core/engine/create-async-engine.ts": [
    'import { AsyncEngine } from "./async-engine.ts";',
    'import { SqliteDialect } from "../dialects/sqlite/index.ts";',
    'import { PostgresqlDialect } from "../dialects/postgresql/postgresql-dialect.ts";',
    'import { PgDriver } from "../drivers/pg/pg-driver.ts";',
    "export function createAsyncEngine(url: string): AsyncEngine { return new AsyncEngine(); }",
  ].join("\n"),
  "src/core/index.ts": [
    'export { createAsyncEngine } from "./engine/create-async-engine.ts";',
    'export { SqliteDialect } from "./dialects/sqlite/index.ts";',
    'export { PgDriver } from "./drivers/pg/pg-driver.ts";',
  ].join("\n"),
  "src/orm/session/async-session.ts": [
    'import type { AsyncEngine } from "../../core/engine/async-engine.ts";',
    'import { select } from "../../core/sql/select.ts";',
    'import { Mapper } from "../mapper/mapper.ts";',
    "export class AsyncSession {}",
  ].join("\n"),
  "src/orm/mapper/mapper.ts": 'import { Table } from "../../core/schema/table.ts";\nexport class Mapper {}\n',
  "src/orm/loading/load-plan.ts": 'import type { Mapper } from "../mapper/mapper.ts";\nexport interface PostLoad { mapper: Mapper }\n',
  "src/orm/query/entity-select.ts": 'import type { PostLoad } from "../loading/load-plan.ts";\nexport class EntitySelect { post?: PostLoad }\n',
  "src/orm/query/orm-select.ts": 'import { EntitySelect } from "./entity-select.ts";\nexport const select = () => new EntitySelect();\n',
  "src/orm/strategies/post-load.ts": 'import type { PostLoad } from "../loading/load-plan.ts";\nexport const runPostLoads = (post: PostLoad) => post;\n',
  "src/orm/strategies/registry.ts": 'import { runPostLoads } from "./post-load.ts";\nexport const LOADER_STRATEGIES = { runPostLoads };\n',
  "src/index.ts": [
    'export { createAsyncEngine, SqliteDialect } from "./core/index.ts";',
    'export { AsyncSession } from "./orm/session/async-session.ts";',
    'export { BetterSqlite3Driver } from "./core/drivers/better-sqlite3/better-sqlite3-driver.ts";',
  ].join("\n"),
};

function check(changes: Record<string, string>) {
  return checkArchitecture({ ...VALID_TREE, ...changes });
}

/** The violations as `file:line rule`, for compact assertions. */
function violations(changes: Record<string, string>): string[] {
  return check(changes).violations.map((v) => `${v.file}:${v.line} ${v.rule}`);
}

/** Adds `file` with a single import of `target` (relative to `file`), returns its violations' rules. */
function rulesForImport(file: string, specifier: string, form = "import { x } from"): RuleName[] {
  return check({ [file]: `${form} "${specifier}";\nexport const y = 1;\n` })
    .violations.filter((v) => v.file === file)
    .map((v) => v.rule);
}

describe("lint-architecture", () => {
  it("accepts a tree that follows every rule", () => {
    const report = checkArchitecture(VALID_TREE);
    expect(report.violations).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.files).toBe(Object.keys(VALID_TREE).length);
  });

  describe("layering", () => {
    it("src/shared imports nothing internal outside shared", () => {
      expect(rulesForImport("src/shared/freeze.ts", "./errors.ts")).toEqual([]);
      expect(rulesForImport("src/shared/freeze.ts", "../core/types/sql-type.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/shared/freeze.ts", "../orm/mapper/mapper.ts")).toEqual(["layering"]);
    });

    it("src/migrations sits above the engine and reflection, beside the ORM", () => {
      expect(rulesForImport("src/migrations/runner.ts", "../core/engine/async-engine.ts")).toEqual([]);
      expect(rulesForImport("src/migrations/runner.ts", "../core/schema/table.ts")).toEqual([]);
      expect(rulesForImport("src/migrations/runner.ts", "../orm/mapper/mapper.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/migrations/runner.ts", "../orm/mapper/mapper.ts", "import type { x } from")).toEqual(["layering"]);
      expect(rulesForImport("src/migrations/runner.ts", "../core/dialects/sqlite/sqlite-dialect.ts")).toEqual(["layering"]);
      const runner = { "src/migrations/runner.ts": "export const run = 1;\n" };
      expect(violations({ ...runner, "src/core/engine/x.ts": 'import { run } from "../../migrations/runner.ts";\n' })).toEqual([
        "src/core/engine/x.ts:1 layering",
      ]);
      expect(violations({ ...runner, "src/orm/session/x.ts": 'import { run } from "../../migrations/runner.ts";\n' })).toEqual([
        "src/orm/session/x.ts:1 layering",
      ]);
    });

    it("the tsalchemy CLI is a composition root: it meets createAsyncEngine", () => {
      expect(rulesForImport("src/migrations/cli/tsalchemy.ts", "../../core/engine/create-async-engine.ts")).toEqual([]);
      expect(rulesForImport("src/migrations/cli/other.ts", "../../core/engine/create-async-engine.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/migrations/cli/tsalchemy.ts", "../../orm/mapper/mapper.ts")).toEqual(["layering"]);
    });

    it("core never imports orm, not even types", () => {
      for (const file of [
        "src/core/sql/x.ts",
        "src/core/engine/x.ts",
        "src/core/dialects/sqlite/x.ts",
        "src/core/drivers/pg/x.ts",
      ]) {
        const depth = file.split("/").length - 2;
        const specifier = `${"../".repeat(depth)}orm/mapper/mapper.ts`;
        expect(rulesForImport(file, specifier, "import type { x } from"), file).toEqual(["layering"]);
      }
      expect(check({ "src/core/sql/x.ts": 'import { Mapper } from "../../orm/mapper/mapper.ts";' }).violations[0]!.message).toMatch(
        /core never imports src\/orm/,
      );
    });

    it("types, sql, schema and compiler never import engine, pool, drivers or a concrete dialect", () => {
      for (const layer of ["types", "sql", "schema", "compiler"]) {
        const file = `src/core/${layer}/x.ts`;
        for (const target of [
          "../engine/async-engine.ts",
          "../pool/pool.ts",
          "../drivers/driver.ts",
          "../drivers/pg/pg-driver.ts",
          "../dialects/sqlite/sqlite-dialect.ts",
        ]) {
          expect(rulesForImport(file, target), `${file} → ${target}`).toEqual(["layering"]);
        }
      }
    });

    it("only the compiler may import the dialect contract among types/sql/schema/compiler", () => {
      expect(rulesForImport("src/core/compiler/x.ts", "../dialects/dialect.ts")).toEqual([]);
      for (const layer of ["types", "sql", "schema"]) {
        expect(rulesForImport(`src/core/${layer}/x.ts`, "../dialects/dialect.ts"), layer).toEqual(["layering"]);
      }
    });

    it("keeps schema → sql → types one-way", () => {
      expect(rulesForImport("src/core/schema/x.ts", "../sql/select.ts")).toEqual([]);
      expect(rulesForImport("src/core/sql/x.ts", "../types/sql-type.ts")).toEqual([]);
      expect(rulesForImport("src/core/types/x.ts", "../sql/select.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/core/sql/x.ts", "../schema/table.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/core/schema/x.ts", "../compiler/sql-compiler.ts")).toEqual(["layering"]);
    });

    it("a concrete dialect imports its own folder and the layers below, never another dialect, a driver, pool, engine", () => {
      const file = "src/core/dialects/sqlite/x.ts";
      for (const ok of ["./sqlite-quote.ts", "../dialect.ts", "../../compiler/sql-compiler.ts", "../../schema/table.ts", "../../sql/select.ts", "../../types/sql-type.ts", "../../../shared/errors.ts"]) {
        expect(rulesForImport(file, ok), ok).toEqual([]);
      }
      for (const bad of ["../postgresql/postgresql-dialect.ts", "../../drivers/driver.ts", "../../drivers/pg/pg-driver.ts", "../../engine/async-engine.ts", "../../pool/pool.ts"]) {
        expect(rulesForImport(file, bad), bad).toEqual(["layering"]);
      }
    });

    it("a concrete driver imports only the driver contract files, shared and its own folder", () => {
      const file = "src/core/drivers/pg/x.ts";
      for (const ok of ["./pg-types.ts", "../driver.ts", "../translate-error.ts", "../sqlstate-classifier.ts", "../../../shared/errors.ts"]) {
        expect(rulesForImport(file, ok), ok).toEqual([]);
      }
      for (const bad of [
        "../better-sqlite3/better-sqlite3-driver.ts",
        "../../dialects/dialect.ts",
        "../../dialects/postgresql/postgresql-dialect.ts",
        "../../compiler/sql-compiler.ts",
        "../../sql/select.ts",
        "../../types/sql-type.ts",
        "../../engine/async-engine.ts",
        "../../pool/pool.ts",
      ]) {
        expect(rulesForImport(file, bad), bad).toEqual(["layering"]);
      }
    });

    it("pool and engine use contracts, never a concrete dialect or driver; pool sits below engine", () => {
      for (const layer of ["pool", "engine"]) {
        const file = `src/core/${layer}/x.ts`;
        expect(rulesForImport(file, "../dialects/dialect.ts")).toEqual([]);
        expect(rulesForImport(file, "../drivers/driver.ts")).toEqual([]);
        expect(rulesForImport(file, "../compiler/sql-compiler.ts")).toEqual([]);
        expect(rulesForImport(file, "../dialects/sqlite/index.ts"), layer).toEqual(["layering"]);
        expect(rulesForImport(file, "../drivers/pg/pg-driver.ts"), layer).toEqual(["layering"]);
      }
      expect(rulesForImport("src/core/engine/x.ts", "../pool/pool.ts")).toEqual([]);
      expect(rulesForImport("src/core/pool/x.ts", "../engine/async-engine.ts")).toEqual(["layering"]);
    });

    it("reflection sits above engine and below orm, and meets no concrete dialect or driver", () => {
      const file = "src/core/reflection/sqlite/x.ts";
      for (const ok of ["../../engine/async-engine.ts", "../../schema/table.ts", "../../dialects/dialect.ts"]) {
        expect(rulesForImport(file, ok), ok).toEqual([]);
      }
      for (const bad of ["../../dialects/sqlite/index.ts", "../../drivers/pg/pg-driver.ts"]) {
        expect(rulesForImport(file, bad), bad).toEqual(["layering"]);
      }
      const inspector = { "src/core/reflection/inspector.ts": "export const inspect = 1;\n" };
      const importer = (from: string, specifier: string): RuleName[] =>
        check({ ...inspector, [from]: `import { inspect } from "${specifier}";\nexport const y = inspect;\n` })
          .violations.filter((v) => v.file === from)
          .map((v) => v.rule);
      expect(importer("src/core/reflection/sqlite/y.ts", "../inspector.ts")).toEqual([]);
      expect(importer("src/core/engine/y.ts", "../reflection/inspector.ts")).toEqual(["layering"]);
      expect(importer("src/core/schema/y.ts", "../reflection/inspector.ts")).toEqual(["layering"]);
      expect(importer("src/orm/query/y.ts", "../../core/reflection/inspector.ts")).toEqual([]);
    });

    it("orm uses core but never a concrete dialect or driver", () => {
      expect(rulesForImport("src/orm/query/x.ts", "../../core/engine/async-engine.ts")).toEqual([]);
      expect(rulesForImport("src/orm/query/x.ts", "../../core/dialects/dialect.ts")).toEqual([]);
      expect(rulesForImport("src/orm/query/x.ts", "../../core/dialects/sqlite/index.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/orm/query/x.ts", "../../core/drivers/pg/pg-driver.ts")).toEqual(["layering"]);
    });

    it("only the composition roots meet concrete dialects and drivers, and nothing else imports a root", () => {
      // VALID_TREE already has create-async-engine.ts, src/core/index.ts and src/index.ts doing so.
      expect(rulesForImport("src/core/engine/x.ts", "./create-async-engine.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/orm/session/x.ts", "../../core/index.ts")).toEqual(["layering"]);
      expect(rulesForImport("src/core/sql/x.ts", "../../index.ts")).toEqual(["layering"]);
      expect(
        violations({
          "src/core/engine/create-async-engine.ts": 'import { Mapper } from "../../orm/mapper/mapper.ts";\nexport const createAsyncEngine = 1;',
        }),
      ).toEqual(["src/core/engine/create-async-engine.ts:1 layering"]);
      expect(violations({ "src/core/index.ts": 'export { Mapper } from "../orm/mapper/mapper.ts";' })).toEqual(["src/core/index.ts:1 layering"]);
    });

    it("flags every import form: re-exports, side effects, dynamic and type-only imports", () => {
      const file = "src/core/sql/x.ts";
      for (const form of ["export { x } from", "export type { x } from", "import type { x } from", "import", "import * as ns from", "import d, { x } from"]) {
        expect(rulesForImport(file, "../engine/async-engine.ts", form), form).toEqual(["layering"]);
      }
      expect(check({ [file]: 'export async function f() { return import("../engine/async-engine.ts"); }' }).violations.map((v) => v.rule)).toEqual([
        "layering",
      ]);
    });

    it("flags files that belong to no layer", () => {
      expect(violations({ "src/utils.ts": "export const a = 1;", "src/core/misc/thing.ts": "export const b = 1;" })).toEqual([
        "src/core/misc/thing.ts:1 unplaced-file",
        "src/utils.ts:1 unplaced-file",
      ]);
    });
  });

  describe("cycles", () => {
    it("reports each cycle once, with the path", () => {
      const report = check({
        "src/core/sql/a.ts": 'import { b } from "./b.ts";\nexport const a = 1;',
        "src/core/sql/b.ts": 'import { c } from "./c.ts";\nexport const b = 1;',
        "src/core/sql/c.ts": 'export const c = 1;\nimport { a } from "./a.ts";',
        "src/core/schema/d.ts": 'import { e } from "./e.ts";\nexport const d = 1;',
        "src/core/schema/e.ts": 'export { d } from "./d.ts";\nexport const e = 1;',
      });
      expect(report.violations.map((v) => `${v.file}:${v.line} ${v.message}`)).toEqual([
        "src/core/schema/d.ts:1 import cycle: src/core/schema/d.ts → src/core/schema/e.ts → src/core/schema/d.ts",
        "src/core/sql/a.ts:1 import cycle: src/core/sql/a.ts → src/core/sql/b.ts → src/core/sql/c.ts → src/core/sql/a.ts",
      ]);
    });

    it("reports a self-import", () => {
      expect(violations({ "src/core/sql/a.ts": 'import { a as b } from "./a.ts";\nexport const a = 1;' })).toEqual(["src/core/sql/a.ts:1 cycle"]);
    });

    it("ignores cycles through type-only and dynamic imports, which do not exist at run time", () => {
      expect(
        violations({
          "src/core/sql/a.ts": 'import type { B } from "./b.ts";\nexport type A = 1;',
          "src/core/sql/b.ts": 'import { a } from "./c.ts";\nexport type B = 1;',
          "src/core/sql/c.ts": 'export const a = () => import("./a.ts");\nimport { x } from "./a.ts";',
        }),
      ).toEqual([]);
      // VALID_TREE itself has compiler ⇄ dialect contract through `import type`.
    });
  });

  describe("ORM sub-layers", () => {
    it("lets a sub-layer import itself and those below it", () => {
      expect(rulesForImport("src/orm/strategies/x.ts", "../loading/load-plan.ts")).toEqual([]);
      expect(rulesForImport("src/orm/strategies/x.ts", "../query/orm-select.ts")).toEqual([]);
      expect(rulesForImport("src/orm/session/x.ts", "../strategies/registry.ts")).toEqual([]);
      expect(rulesForImport("src/orm/inspection.ts", "./session/async-session.ts")).toEqual([]);
    });

    it("rejects an upward import", () => {
      expect(rulesForImport("src/orm/loading/x.ts", "../strategies/post-load.ts")).toEqual(["orm-sublayer"]);
      expect(rulesForImport("src/orm/mapper/x.ts", "../query/orm-select.ts")).toEqual(["orm-sublayer"]);
      expect(rulesForImport("src/orm/mapping/x.ts", "../mapper/mapper.ts", "export { x } from")).toEqual(["orm-sublayer"]);
      expect(violations({ "src/orm/state/x.ts": 'export const m = () => import("../mapper/mapper.ts");\n' })).toEqual(["src/orm/state/x.ts:1 orm-sublayer"]);
    });

    it("rejects a type-only upward import too, so sub-layers form no type-level cycle", () => {
      expect(rulesForImport("src/orm/mapper/x.ts", "../query/entity-select.ts", "import type { x } from")).toEqual(["orm-sublayer"]);
      const report = check({
        "src/orm/mapping/model-types.ts": 'import type { Mapper } from "../mapper/mapper.ts";\nexport type ModelSpec = { m: Mapper };\n',
        "src/orm/mapper/mapper.ts": 'import type { ModelSpec } from "../mapping/model-types.ts";\nexport class Mapper { spec?: ModelSpec }\n',
      });
      expect(report.violations.map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual(["src/orm/mapping/model-types.ts:1 orm-sublayer"]);
      expect(report.violations[0]!.message).toMatch(/type-only import of orm\/mapper from orm\/mapping/);
    });

    it("rejects a src/orm file in no sub-layer", () => {
      expect(violations({ "src/orm/helpers/x.ts": "export const x = 1;\n" })).toEqual(["src/orm/helpers/x.ts:1 orm-sublayer"]);
      expect(violations({ "src/orm/x.ts": "export const x = 1;\n" })).toEqual(["src/orm/x.ts:1 orm-sublayer"]);
    });
  });

  describe("strategy branching", () => {
    const file = (body: string) => `export function f(property: { strategy: string }, strategy: string): unknown {\n${body}\n}\n`;

    it("rejects a comparison of a strategy-like value with a strategy's name outside src/orm/strategies/", () => {
      expect(violations({ "src/orm/loading/x.ts": file('  return property.strategy === "write_only";') })).toEqual(["src/orm/loading/x.ts:2 strategy-branch"]);
      expect(violations({ "src/orm/mapper/x.ts": file("  if ('raise' !== strategy) return 1;") })).toEqual(["src/orm/mapper/x.ts:2 strategy-branch"]);
      expect(violations({ "src/orm/session/x.ts": file('  return spec.options?.lazy == "joined";') })).toEqual(["src/orm/session/x.ts:2 strategy-branch"]);
    });

    it("rejects a switch over a strategy-like value with a strategy's name as a case", () => {
      const body = ['  switch (post.strategy) {', '    case "selectin":', "      return 1;", "    default:", "      return 0;", "  }"].join("\n");
      const report = check({ "src/orm/loading/x.ts": file(body) });
      expect(report.violations.map((v) => `${v.file}:${v.line} ${v.rule}`)).toEqual(["src/orm/loading/x.ts:2 strategy-branch"]);
      expect(report.violations[0]!.message).toMatch(/switch \(post\.strategy\) \{ case "selectin":/);
    });

    it("allows it in src/orm/strategies/ and outside src/orm", () => {
      expect(violations({ "src/orm/strategies/x.ts": file('  return strategy === "raise";') })).toEqual([]);
      expect(violations({ "src/core/sql/x.ts": file('  return strategy === "raise";') })).toEqual([]);
    });

    it("has no false positives on other uses of the words", () => {
      const body = [
        '  if (node.kind === "select" || mode === "raise") return 1;',
        '  switch (node.kind) { case "select": return 2; }',
        '  switch (strategy) { case "default": return 3; }',
        '  const message = `strategy === "raise"`; // strategy === "joined"',
        '  return loaderStrategy("select") ?? { strategy: "joined" };',
      ].join("\n");
      expect(violations({ "src/orm/loading/x.ts": file(body) })).toEqual([]);
    });
  });

  describe("client libraries and other packages", () => {
    it("rejects a static run-time import of a client library anywhere in src", () => {
      const file = "src/core/drivers/pg/x.ts";
      for (const [form, specifier] of [
        ["import pg from", "pg"],
        ["import { Pool } from", "pg"],
        ["import { type Pool } from", "pg"], // verbatimModuleSyntax keeps `import {} from "pg"`
        ["export { Pool } from", "pg"],
        ["import", "pg"],
        ["import Database from", "better-sqlite3"],
        ["import { createPool } from", "mysql2/promise"],
        ["import * as mysql from", "mysql2"],
        ["import { PGlite } from", "@electric-sql/pglite"],
      ] as const) {
        expect(rulesForImport(file, specifier, form), `${form} ${specifier}`).toEqual(["client-library"]);
      }
      expect(rulesForImport("src/orm/query/x.ts", "pg", "import { Pool } from")).toEqual(["client-library"]);
    });

    it("allows `import type` and dynamic `import()` of a client library", () => {
      const file = "src/core/drivers/pg/x.ts";
      expect(rulesForImport(file, "pg", "import type { Pool } from")).toEqual([]);
      expect(rulesForImport(file, "@electric-sql/pglite", "export type { PGlite } from")).toEqual([]);
      expect(violations({ [file]: 'export const load = async () => (await import("mysql2/promise")).createPool;' })).toEqual([]);
    });

    it("rejects any other run-time package import but allows Node built-ins", () => {
      expect(rulesForImport("src/core/sql/x.ts", "lodash")).toEqual(["runtime-dependency"]);
      expect(rulesForImport("src/core/sql/x.ts", "tsalchemy/core")).toEqual(["runtime-dependency"]);
      expect(rulesForImport("src/core/sql/x.ts", "node:util")).toEqual([]);
      expect(rulesForImport("src/core/sql/x.ts", "node:events", "import { EventEmitter } from")).toEqual([]);
    });
  });

  describe("exports, resolution and size", () => {
    it("rejects `export *` in both forms", () => {
      expect(rulesForImport("src/core/types/x.ts", "./sql-type.ts", "export * from")).toEqual(["export-star"]);
      expect(rulesForImport("src/core/types/x.ts", "./sql-type.ts", "export * as types from")).toEqual(["export-star"]);
    });

    it("reports imports that resolve to no file or leave src/", () => {
      expect(rulesForImport("src/core/sql/x.ts", "./missing.ts")).toEqual(["unresolved-import"]);
      expect(rulesForImport("src/core/sql/x.ts", "../../../package.json")).toEqual(["unresolved-import"]);
    });

    it("resolves .js and extensionless specifiers to .ts files", () => {
      expect(rulesForImport("src/core/sql/x.ts", "./select.js")).toEqual([]);
      expect(rulesForImport("src/core/sql/x.ts", "./select")).toEqual([]);
      expect(rulesForImport("src/core/types/x.ts", "../sql/select.js")).toEqual(["layering"]);
    });

    it(`warns, without failing, about files over ${MAX_FILE_LINES} lines`, () => {
      const long = "export const x = 1;\n".repeat(MAX_FILE_LINES + 1);
      const report = check({ "src/core/sql/long.ts": long, "src/core/sql/ok.ts": "export const y = 1;\n".repeat(MAX_FILE_LINES) });
      expect(report.violations).toEqual([]);
      expect(report.warnings.map((w) => `${w.file} ${w.rule}`)).toEqual(["src/core/sql/long.ts file-size"]);
    });
  });

  describe("extractImports", () => {
    it("reads multi-line imports and reports the line of the keyword", () => {
      const source = ['import {', '  a,', '  type B,', '} from "./a.ts";', "", "export type {", "  C", '} from "./c.ts";'].join("\n");
      expect(extractImports(source)).toEqual([
        { specifier: "./a.ts", line: 1, typeOnly: false, dynamic: false, exportStar: false },
        { specifier: "./c.ts", line: 6, typeOnly: true, dynamic: false, exportStar: false },
      ]);
    });

    it("ignores imports inside comments, strings and template literals", () => {
      const source = [
        "/**",
        ' * import { Pool } from "pg";',
        ' * await import("../../orm/x.ts");',
        " */",
        '// import Database from "better-sqlite3";',
        'const s = "import x from \'pg\'";',
        'const t = `import y from "pg" ${1 + 1} export * from "./z.ts"`;',
        'const r = /"/g; import { real } from "./real.ts";',
      ].join("\n");
      expect(extractImports(source).map((r) => r.specifier)).toEqual(["./real.ts"]);
    });

    it("finds imports after template literals with nested expressions", () => {
      const source = 'const t = `a${`b${"}"}`}c`;\nimport { x } from "./x.ts";\nconst d = a / b; import("./y.ts");';
      expect(extractImports(source).map((r) => [r.specifier, r.line, r.dynamic])).toEqual([
        ["./x.ts", 2, false],
        ["./y.ts", 3, true],
      ]);
    });
  });

  it("finds no violations in the real src/", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const report = checkArchitecture(readSourceTree(root));
    expect(report.violations).toEqual([]);
  });
});
