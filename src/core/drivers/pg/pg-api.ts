/**
 * The part of node-postgres (`pg`) this driver uses, typed structurally so the package is never
 * a compile-time or runtime dependency of tsalchemy itself.
 */

/** pg's type parser registry (`pg.types`, i.e. pg-types with any `setTypeParser` applied). */
export interface PgTypes {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
}

/** `Client#query`'s config form, as this driver fills it. */
export interface PgQueryConfig {
  readonly text: string;
  readonly values: readonly unknown[];
  readonly rowMode: "array";
  readonly types: PgTypes;
  readonly name?: string | undefined;
  /** `"extended"`: Parse/Bind/Execute even without parameters (pg otherwise sends a simple query). */
  readonly queryMode?: "extended";
}

/** A result column as pg describes it: its name and its type's OID. */
export interface PgField {
  readonly name: string;
  readonly dataTypeID: number;
}

export interface PgQueryResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly fields: readonly PgField[];
  readonly rows: unknown[][];
}

/** The protocol connection pg hands to a submittable query: one method per frontend message. */
export interface PgWireConnection {
  parse(message: { text: string; name?: string }): void;
  bind(message: { portal: string; statement?: string; values: readonly (string | Buffer | null)[] }): void;
  describe(message: { type: "P" | "S"; name: string }): void;
  execute(message: { portal: string; rows: number }): void;
  close(message: { type: "P" | "S"; name: string }): void;
  flush(): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/** pg's server messages, reduced to the fields a submittable reads. */
export interface PgRowDescription {
  readonly fields: readonly PgField[];
}
export interface PgDataRow {
  /** Text-format cells exactly as the server sent them. */
  readonly fields: readonly (string | null)[];
}

/**
 * An object `Client#query` runs itself instead of building a `Query` (pg-cursor's extension
 * point): pg calls `submit` when it is the connection's turn, then forwards each server message.
 */
export interface PgSubmittable {
  submit(connection: PgWireConnection): void;
  handleRowDescription(message: PgRowDescription): void;
  handleDataRow(message: PgDataRow): void;
  handlePortalSuspended(connection: PgWireConnection): void;
  handleCommandComplete(message: unknown, connection: PgWireConnection): void;
  handleEmptyQuery(connection: PgWireConnection): void;
  handleReadyForQuery(connection: PgWireConnection): void;
  handleError(error: Error, connection: PgWireConnection): void;
  handleCopyInResponse(connection: PgWireConnection): void;
  handleCopyData(message: unknown, connection: PgWireConnection): void;
}

/** A pg `Query` object (`pg.Query`): what `Client#query` builds from a config, usable as a submittable. */
export interface PgQuery {
  handleDataRow(message: PgDataRow): void;
  /** Called once with the error or the result; `Client#query` wraps it for `query_timeout`. */
  callback?: (error: Error | null | undefined, result?: unknown) => void;
}

export type PgQueryConstructor = new (config: PgQueryConfig) => PgQuery;

export interface PgClient {
  /** The server's host (or Unix socket directory) and port, after defaults. */
  readonly host: string;
  readonly port: number;
  /** The backend's process id and cancel key from BackendKeyData; `null` before connecting. */
  readonly processID?: number | null;
  readonly secretKey?: number | null;
  connect(): Promise<unknown>;
  query(config: PgQueryConfig): Promise<PgQueryResult>;
  query(submittable: PgSubmittable | PgQuery): unknown;
  end(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: "error", listener: (error: Error) => void): unknown;
}

export type PgClientConstructor = new (config: object) => PgClient;
