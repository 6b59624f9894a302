/**
 * The part of better-sqlite3's API this driver uses, typed structurally so the package is never
 * a compile-time or runtime dependency of tsalchemy itself.
 */
export interface SqliteStatement {
  /** The statement returns rows (a SELECT, or DML with RETURNING). */
  readonly reader: boolean;
  /** The statement does not write (used to tell a SELECT from `INSERT … RETURNING`). */
  readonly readonly: boolean;
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  raw(toggle?: boolean): this;
  safeIntegers(toggle?: boolean): this;
  columns(): { name: string }[];
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(source: string): unknown;
  close(): unknown;
  readonly open: boolean;
}

/** `options` are better-sqlite3's own (`readonly`, `fileMustExist`, `timeout`, …). */
export type SqliteDatabaseConstructor = new (filename: string, options?: object) => SqliteDatabase;
