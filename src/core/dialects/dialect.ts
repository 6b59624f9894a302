import type { SqlCompiler } from "../compiler/sql-compiler.ts";
import type { DdlCompiler } from "../compiler/ddl-compiler.ts";
import type { SqlType, TypeKind } from "../types/sql-type.ts";
import type { TransactionOptions, TransactionSql } from "./transaction-options.ts";

/**
 * What a database can do. Code (and tests) ask capabilities, never dialect names, so a new
 * dialect is one new object rather than a hunt for `if (name === …)`.
 */
export interface DialectCapabilities {
  /** `INSERT … RETURNING` (PostgreSQL, SQLite ≥ 3.35, MariaDB ≥ 10.5). */
  readonly insertReturning: boolean;
  /** `UPDATE … RETURNING` (PostgreSQL, SQLite; not MariaDB). */
  readonly updateReturning: boolean;
  /** `DELETE … RETURNING` (PostgreSQL, SQLite, MariaDB). */
  readonly deleteReturning: boolean;
  /** The upsert form the dialect speaks. */
  readonly upsert: "on-conflict" | "on-duplicate-key";
  /** `FOR UPDATE` row locks (not SQLite). */
  readonly rowLocking: boolean;
  /** `FULL OUTER JOIN`. */
  readonly fullOuterJoin: boolean;
  /** `EXCEPT` / `INTERSECT` (MariaDB ≥ 10.3, all others). */
  readonly exceptIntersect: boolean;
  /** `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` (SQLite cannot). */
  readonly alterAddForeignKey: boolean;
  /** A native INTERVAL type. */
  readonly nativeInterval: boolean;
  /** DDL runs inside transactions and rolls back with them. */
  readonly transactionalDdl: boolean;
  /** One connection at a time can write (SQLite): the pool holds one connection. */
  readonly singleConnection: boolean;
  /** Text values may contain NUL (U+0000); PostgreSQL's text cannot, so its binds refuse them. */
  readonly textStoresNul: boolean;
  /**
   * A backslash in a string literal escapes the next character (MySQL/MariaDB unless sql_mode has
   * NO_BACKSLASH_ESCAPES); in standard SQL (SQLite, PostgreSQL) it is an ordinary character.
   */
  readonly backslashEscapes: boolean;
  /**
   * `UPDATE t SET … FROM (VALUES …) AS v WHERE t.k = v.k`, with which the unit of work writes many
   * changed rows in one statement: PostgreSQL names the list's columns (`AS v (k, c)`), SQLite
   * (≥ 3.33) numbers them (`v.column1`); MySQL/MariaDB have no `UPDATE … FROM`.
   */
  readonly updateFromValues: "named" | "numbered" | "none";
  /** Indexes over expressions (`CREATE INDEX … (lower(name))`): MySQL ≥ 8.0.13 but not MariaDB. */
  readonly expressionIndexes: boolean;
  /** `GENERATED … AS IDENTITY` columns (PostgreSQL ≥ 10). */
  readonly identityColumns: boolean;
  /** `CREATE SEQUENCE` and `nextval` (PostgreSQL, MariaDB ≥ 10.3). */
  readonly sequences: boolean;
  /** Table and column comments kept in the catalog (not SQLite). */
  readonly comments: boolean;
  /** ARRAY columns and their operators (PostgreSQL). */
  readonly arrays: boolean;
}

/** Converts a value on its way to the driver, or a raw driver value on its way back. */
export type ValueProcessor = (value: unknown) => unknown;

/**
 * Per type kind, how values travel for this dialect. `bind` and `result` take the type (for its
 * options) and return a processor, or `undefined` when values pass through unchanged (the fast path).
 */
export interface TypeProcessing {
  bind(type: SqlType<unknown>): ValueProcessor | undefined;
  result(type: SqlType<unknown>): ValueProcessor | undefined;
}

export type TypeProcessingTable = {
  readonly [K in TypeKind]: {
    readonly bind?: (type: SqlType<unknown>) => ValueProcessor | undefined;
    readonly result?: (type: SqlType<unknown>) => ValueProcessor | undefined;
  };
};

/** SQL flavour: how to write statements and values for one kind of database. Knows no driver. */
export interface Dialect {
  readonly name: "sqlite" | "postgresql" | "mysql";
  readonly capabilities: DialectCapabilities;
  readonly compiler: SqlCompiler;
  readonly ddlCompiler: DdlCompiler;
  readonly types: TypeProcessing;
  /** SQL that starts a transaction (`BEGIN`). */
  readonly beginSql: string;
  /**
   * The statements that begin a transaction with these options (isolation level, read-only), or a
   * `NotSupportedFeatureError` for options the database cannot honour.
   */
  transactionSql(options: TransactionOptions): TransactionSql;
  /** SQL to ask whether a table exists: one row when it does. Parameters: the table name (and schema). */
  tableExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] };
  /** A server-side cursor in SQL, where the database has one outside stored programs (PostgreSQL). */
  readonly cursorSql?: CursorSql;
}

/**
 * The statements of a cursor that lives in the open transaction (`DECLARE … CURSOR FOR <query>`,
 * `FETCH`, `CLOSE`): each is an ordinary statement, so others may run between two fetches.
 */
export interface CursorSql {
  declare(name: string, query: string): string;
  fetch(name: string, count: number): string;
  close(name: string): string;
}

/**
 * Builds a `TypeProcessing` from an exhaustive table (a missing kind fails to compile). A custom
 * type (`TypeDecorator`) runs its own conversion first on the way in and last on the way out,
 * around its `impl`'s (itself custom, possibly); a NULL from its conversion is sent as NULL.
 */
export function typeProcessingFrom(table: TypeProcessingTable, dialect: Dialect["name"]): TypeProcessing {
  const bind = (type: SqlType<unknown>): ValueProcessor | undefined => {
    const decoration = type.decoration;
    if (decoration === undefined) return table[type.kind].bind?.(type);
    const inner = bind(decoration.impl);
    const outer = decoration.processBindParam;
    if (outer === undefined) return inner;
    if (inner === undefined) return (value) => outer(value, dialect);
    return (value) => {
      const converted = outer(value, dialect);
      return converted === null || converted === undefined ? null : inner(converted);
    };
  };
  const result = (type: SqlType<unknown>): ValueProcessor | undefined => {
    const decoration = type.decoration;
    if (decoration === undefined) return table[type.kind].result?.(type);
    const inner = result(decoration.impl);
    const outer = decoration.processResultValue;
    if (outer === undefined) return inner;
    if (inner === undefined) return (value) => outer(value, dialect);
    return (value) => outer(inner(value), dialect);
  };
  return { bind, result };
}
