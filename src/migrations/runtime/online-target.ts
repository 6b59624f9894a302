import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { inspect } from "../../core/reflection/inspector.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import type { Table } from "../../core/schema/table.ts";
import { insert } from "../../core/sql/insert.ts";
import type { VersionChange } from "../graph/version-heads.ts";
import { MigrationError, MigrationFailedError } from "../migration-errors.ts";
import { Operations } from "../operations/operations.ts";
import type { OperationsContext } from "../operations/operations-context.ts";
import { migrationSessionSql } from "./dialect-migration-session.ts";
import type { MigrationTarget, StepWork } from "./migration-target.ts";
import type { VersionTable } from "./version-table.ts";

/**
 * Migrations against a live database on one connection. Where DDL is transactional
 * (PostgreSQL, SQLite) each migration, with its version row, is one transaction: a failure rolls
 * all of it back. Where it is not (MySQL/MariaDB commit around every DDL statement), each
 * statement is committed as it runs, and a failure leaves the earlier statements of that
 * migration applied while the version table still names the revision before it.
 */
export class OnlineTarget implements MigrationTarget {
  readonly offline = false;
  readonly #conn: AsyncConnection;
  readonly #versions: VersionTable;
  readonly #echo: ((sql: string) => void) | undefined;

  private constructor(conn: AsyncConnection, versions: VersionTable, echo: ((sql: string) => void) | undefined) {
    this.#conn = conn;
    this.#versions = versions;
    this.#echo = echo;
  }

  /** Connects, and creates the version table if it is missing. */
  static async open(engine: AsyncEngine, versions: VersionTable, echo?: (sql: string) => void): Promise<OnlineTarget> {
    const conn = await engine.connect();
    try {
      await versions.ensure(conn);
      await conn.commit();
    } catch (error) {
      await conn.close();
      throw error;
    }
    return new OnlineTarget(conn, versions, echo);
  }

  get dialect(): AsyncConnection["dialect"] {
    return this.#conn.dialect;
  }

  async currentHeads(): Promise<string[]> {
    const heads = await this.#versions.heads(this.#conn);
    await this.#conn.commit();
    return heads;
  }

  async runStep(description: string, work: StepWork | undefined, changes: readonly VersionChange[]): Promise<void> {
    const conn = this.#conn;
    const transactional = conn.dialect.capabilities.transactionalDdl;
    const session = migrationSessionSql(conn.dialect);
    // Connection state that must be set outside a transaction (SQLite's foreign_keys pragma).
    for (const sql of session.before) await conn.runTransactionControl(sql);
    try {
      if (transactional) await conn.begin();
      const context = this.#context(!transactional);
      if (work) await work(new Operations(context));
      await this.#versions.apply(conn, changes);
      if (session.check !== undefined) {
        const violations = await conn.execDriverSql(session.check);
        if (violations.rows.length > 0) {
          throw new MigrationError(`${description} leaves ${violations.rows.length} row(s) violating foreign keys (${session.check})`);
        }
      }
      await conn.commit();
    } catch (error) {
      await conn.rollback();
      const partial = transactional ? "rolled back" : "statements before the failure stay applied (no transactional DDL)";
      throw new MigrationFailedError(`${description} failed (${partial}): ${(error as Error).message}`, { cause: error });
    } finally {
      for (const sql of session.after) await conn.runTransactionControl(sql);
    }
  }

  async close(): Promise<void> {
    await this.#conn.close();
  }

  #context(autocommit: boolean): OperationsContext {
    const conn = this.#conn;
    const echo = this.#echo;
    return {
      dialect: conn.dialect,
      offline: false,
      async run(sql: string): Promise<void> {
        echo?.(sql);
        await conn.execDriverSql(sql);
        if (autocommit) await conn.commit();
      },
      async bulkInsert(table: Table, rows): Promise<void> {
        if (rows.length === 0) return;
        await conn.execute(insert(table), rows as Record<string, unknown>[]);
        if (autocommit) await conn.commit();
      },
      async reflectTable(name: string, schema: string | undefined): Promise<Table> {
        const metadata = new MetaData();
        await metadata.reflect(inspect(conn), { only: [name], ...(schema === undefined ? {} : { schema }) });
        return metadata.tables.get(schema === undefined ? name : `${schema}.${name}`)!;
      },
    };
  }
}
