/**
 * The part of mysql2 this driver uses, typed structurally so the package is never a compile-time
 * or runtime dependency of tsalchemy itself.
 */

/** What an INSERT, UPDATE, DELETE or other non-query statement reports. */
export interface MysqlResultSetHeader {
  readonly affectedRows: number;
  /** 0 when the statement generated no key; a string past 2^53 with `bigNumberStrings`. */
  readonly insertId: number | string;
}

export interface MysqlField {
  readonly name: string;
  /** The protocol's MYSQL_TYPE_* number. */
  readonly columnType?: number;
  /** Digits after the point (fractional seconds for TIME/DATETIME). */
  readonly decimals?: number;
}

/** `[rows, fields]` for a query, `[header, undefined]` for anything else. */
export type MysqlResult = [unknown[][] | MysqlResultSetHeader, MysqlField[] | undefined];

/** mysql2's streaming command: rows arrive one 'result' event at a time. */
export interface MysqlQueryCommand {
  on(event: "fields", listener: (fields: MysqlField[] | undefined) => void): this;
  on(event: "result", listener: (row: unknown) => void): this;
  on(event: "end", listener: () => void): this;
  on(event: "error", listener: (error: Error) => void): this;
}

/** The callback-style connection under the promise wrapper, used for streaming and flow control. */
export interface MysqlCoreConnection {
  query(sql: string, values: readonly unknown[]): MysqlQueryCommand;
  /** A server-side prepared statement (prepared once per connection and cached by mysql2). */
  execute(sql: string, values: readonly unknown[]): MysqlQueryCommand;
  pause(): void;
  resume(): void;
}

export interface MysqlPromiseConnection {
  readonly connection: MysqlCoreConnection;
  /** The server's id for this connection (`CONNECTION_ID()`), which `KILL QUERY` names. */
  readonly threadId: number;
  query(sql: string, values: readonly unknown[]): Promise<MysqlResult>;
  execute(sql: string, values: readonly unknown[]): Promise<MysqlResult>;
  /** Closes the statement `execute` prepared for `sql` and drops it from mysql2's cache. */
  unprepare(sql: string): void;
  end(): Promise<void>;
  /** COM_RESET_CONNECTION; clears mysql2's prepared-statement cache too. */
  reset(): Promise<void>;
  destroy(): void;
  on(event: "error", listener: (error: Error) => void): unknown;
}

export interface Mysql2PromiseModule {
  createConnection(config: object): Promise<unknown>;
}
