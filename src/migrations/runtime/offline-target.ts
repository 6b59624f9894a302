import type { Dialect } from "../../core/dialects/dialect.ts";
import type { Table } from "../../core/schema/table.ts";
import type { VersionChange } from "../graph/version-heads.ts";
import { literalSql } from "../operations/column-ddl.ts";
import { Operations } from "../operations/operations.ts";
import type { OperationsContext } from "../operations/operations-context.ts";
import type { MigrationTarget, StepWork } from "./migration-target.ts";
import type { VersionTable } from "./version-table.ts";

/**
 * Offline mode (`--sql`, Alembic's `as_sql`): the migrations' SQL is written out instead of run,
 * for a DBA to review or run. Nothing is read from the database: the starting revision comes
 * from the `start:end` range, values are literals, and each migration is wrapped in
 * `BEGIN;` … `COMMIT;` where the dialect has transactional DDL.
 */
export class OfflineTarget implements MigrationTarget {
  readonly offline = true;
  readonly dialect: Dialect;
  readonly #write: (text: string) => void;
  readonly #versions: VersionTable;
  readonly #start: readonly string[];

  constructor(dialect: Dialect, versions: VersionTable, write: (text: string) => void, start: readonly string[]) {
    this.dialect = dialect;
    this.#versions = versions;
    this.#write = write;
    this.#start = start;
    this.#statement(versions.createSql());
  }

  async currentHeads(): Promise<string[]> {
    return [...this.#start];
  }

  async runStep(description: string, work: StepWork | undefined, changes: readonly VersionChange[]): Promise<void> {
    const transactional = this.dialect.capabilities.transactionalDdl;
    this.#write(`-- ${description}\n\n`);
    if (transactional) this.#write("BEGIN;\n\n");
    if (work) await work(new Operations(this.#context()));
    for (const sql of this.#versions.changeSql(changes)) this.#statement(sql);
    if (transactional) this.#write("COMMIT;\n\n");
  }

  async close(): Promise<void> {}

  #statement(sql: string): void {
    this.#write(`${sql};\n\n`);
  }

  #context(): OperationsContext {
    const dialect = this.dialect;
    const statement = (sql: string): void => this.#statement(sql);
    return {
      dialect,
      offline: true,
      async run(sql: string): Promise<void> {
        statement(sql);
      },
      async bulkInsert(table: Table, rows): Promise<void> {
        const q = (s: string): string => dialect.compiler.quote(s);
        const name = table.schema === undefined ? q(table.name) : `${q(table.schema)}.${q(table.name)}`;
        for (const row of rows) {
          const keys = Object.keys(row);
          const columns = keys.map((k) => q(table.column(k)?.name ?? k));
          statement(`INSERT INTO ${name} (${columns.join(", ")}) VALUES (${keys.map((k) => literalSql(dialect, row[k] ?? null)).join(", ")})`);
        }
      },
      async reflectTable(): Promise<Table> {
        throw new Error("internal: offline migrations cannot reflect");
      },
    };
  }
}
