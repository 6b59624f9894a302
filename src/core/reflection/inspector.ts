import { NoSuchTableError } from "../../shared/errors.ts";
import type { Dialect } from "../dialects/dialect.ts";
import { AsyncConnection } from "../engine/async-connection.ts";
import type { AsyncEngine } from "../engine/async-engine.ts";
import type { MetaData } from "../schema/metadata.ts";
import type { ReflectOptions, TableReflector } from "../schema/table-reflector.ts";
import type { CatalogQuery, DialectReflector } from "./dialect-reflector.ts";
import { reflectTables } from "./reflect-tables.ts";
import { reflectorFor } from "./reflector-for-dialect.ts";
import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "./reflected.ts";

/** What an inspector reads through: an engine (a connection per call) or a connection (used as is). */
export type InspectionTarget = AsyncEngine | AsyncConnection;

/**
 * Reads the database's schema (SQLAlchemy's `Inspector`). Creating one does no I/O; every method
 * is async and runs catalog queries: on its own pooled connection when made from an engine, or
 * on the given connection (inside its transaction) when made from one.
 *
 * ```ts
 * const insp = inspect(engine);
 * await insp.getTableNames();           // ["organizations", "users"]
 * await insp.getColumns("users");       // [{ name: "id", type: Integer, nullable: false, autoincrement: true, … }, …]
 * await insp.getForeignKeys("users");   // [{ constrainedColumns: ["organization_id"], referredTable: "organizations", … }]
 * await metadata.reflect(insp);         // Table objects for every table
 * ```
 */
export class Inspector implements TableReflector {
  readonly target: InspectionTarget;
  readonly dialect: Dialect;
  readonly #reflector: DialectReflector;

  constructor(target: InspectionTarget) {
    this.target = target;
    this.dialect = target.dialect;
    this.#reflector = reflectorFor(target.dialect);
  }

  /** Schema names (PostgreSQL schemas, MySQL databases, SQLite attached databases), system ones left out. */
  async getSchemaNames(): Promise<string[]> {
    return this.#run((q) => this.#reflector.getSchemaNames(q));
  }

  /** The tables (not views) of `schema`, or of the default schema, sorted by name. */
  async getTableNames(schema?: string): Promise<string[]> {
    return this.#run((q) => this.#reflector.getTableNames(q, schema));
  }

  /** Whether the table (or view) exists: the query `checkfirst` uses. */
  async hasTable(table: string, schema?: string): Promise<boolean> {
    const { sql, params } = this.dialect.tableExistsQuery(table, schema);
    return this.#run(async (q) => (await q(sql, params)).length > 0);
  }

  /** The columns in table order: name, type, nullable, server default, autoincrement, comment, computed, identity. */
  async getColumns(table: string, schema?: string): Promise<ReflectedColumn[]> {
    return this.#run(async (q) => {
      const columns = await this.#reflector.getColumns(q, table, schema);
      if (columns.length === 0) throw noSuchTable(table, schema);
      return columns;
    });
  }

  /** The primary key's columns in key order, and its name where the database keeps one. */
  async getPkConstraint(table: string, schema?: string): Promise<ReflectedPrimaryKeyConstraint> {
    return this.#run((q) => this.#reflector.getPkConstraint(q, table, schema));
  }

  async getForeignKeys(table: string, schema?: string): Promise<ReflectedForeignKeyConstraint[]> {
    return this.#run((q) => this.#reflector.getForeignKeys(q, table, schema));
  }

  /** Indexes other than the primary key's; unique constraints' own indexes carry `duplicatesConstraint`. */
  async getIndexes(table: string, schema?: string): Promise<ReflectedIndex[]> {
    return this.#run((q) => this.#reflector.getIndexes(q, table, schema));
  }

  async getUniqueConstraints(table: string, schema?: string): Promise<ReflectedUniqueConstraint[]> {
    return this.#run((q) => this.#reflector.getUniqueConstraints(q, table, schema));
  }

  async getCheckConstraints(table: string, schema?: string): Promise<ReflectedCheckConstraint[]> {
    return this.#run((q) => this.#reflector.getCheckConstraints(q, table, schema));
  }

  /** `{ text: null }` when the table has no comment (always on SQLite). */
  async getTableComment(table: string, schema?: string): Promise<ReflectedTableComment> {
    return this.#run((q) => this.#reflector.getTableComment(q, table, schema));
  }

  /** `metadata.reflect(inspector, options)`: every query on one connection. */
  async reflectInto(metadata: MetaData, options: ReflectOptions): Promise<void> {
    await this.#run((q) => reflectTables(this.#reflector, q, metadata, options));
  }

  async #run<T>(work: (query: CatalogQuery) => Promise<T>): Promise<T> {
    if (this.target instanceof AsyncConnection) return work(catalogQuery(this.target));
    const conn = await this.target.connect();
    try {
      return await work(catalogQuery(conn));
    } finally {
      await conn.close();
    }
  }
}

/**
 * An inspector for an engine or a connection (SQLAlchemy's `inspect(engine)`); its methods are
 * async.
 *
 * ```ts
 * const names = await inspect(engine).getTableNames();
 * ```
 */
export function inspect(target: InspectionTarget): Inspector {
  return new Inspector(target);
}

function catalogQuery(conn: AsyncConnection): CatalogQuery {
  return async (sql, params) => {
    const result = await conn.execDriverSql(sql, params);
    const keys = result.columns.map((c) => c.toLowerCase());
    return result.rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
  };
}

function noSuchTable(table: string, schema: string | undefined): NoSuchTableError {
  return new NoSuchTableError(`Table "${schema === undefined ? table : `${schema}.${table}`}" does not exist`);
}
