import type { PgDataRow, PgRowDescription, PgSubmittable, PgWireConnection } from "./pg-api.ts";

let portalCounter = 0;

/**
 * Runs one statement through a named portal and fetches its rows `batchSize` at a time, so a large
 * result never sits in memory whole and no transaction is needed (unlike DECLARE CURSOR). The
 * protocol steps are pg-cursor's: Parse/Bind/Describe/Execute(n) with Flush, Execute(n) again on
 * each PortalSuspended, and Close + Sync at the end. Rows arrive as the server's text.
 *
 * States: `busy` (the server owes an answer), `suspended` (a batch is in, more remain),
 * `completing` (all rows in, waiting for ReadyForQuery), `done`, or failed (`#error` set).
 */
export class PgPortalCursor implements PgSubmittable {
  readonly #text: string;
  readonly #values: readonly (string | Buffer | null)[];
  readonly #batchSize: number;
  readonly #portal = `tsal_portal_${++portalCounter}`;
  #connection: PgWireConnection | undefined;
  #state: "busy" | "suspended" | "completing" | "done" = "busy";
  #error: Error | undefined;
  #columns: string[] = [];
  #columnTypes: number[] = [];
  #rows: (string | null)[][] = [];
  #wake: (() => void) | undefined;

  constructor(text: string, values: readonly (string | Buffer | null)[], batchSize: number) {
    this.#text = text;
    this.#values = values;
    this.#batchSize = batchSize;
  }

  /** Column names; known once the first `read()` has returned. */
  get columns(): readonly string[] {
    return this.#columns;
  }

  /** Column type OIDs; known once the first `read()` has returned. */
  get columnTypes(): readonly number[] {
    return this.#columnTypes;
  }

  /** The next batch of rows, or `undefined` when the statement has finished. */
  async read(): Promise<(string | null)[][] | undefined> {
    while (true) {
      if (this.#error) throw this.#error;
      if (this.#rows.length > 0 && this.#state !== "busy") {
        const rows = this.#rows;
        this.#rows = [];
        return rows;
      }
      if (this.#state === "done") return undefined;
      if (this.#state === "suspended") this.#fetch();
      await this.#settled();
    }
  }

  /** Abandons the remaining rows: closes the portal and waits until the connection is free again. */
  async close(): Promise<void> {
    this.#rows = [];
    while (!this.#error && this.#state !== "done") {
      if (this.#state === "suspended" && this.#connection) {
        this.#finish(this.#connection);
      }
      await this.#settled();
    }
  }

  submit(connection: PgWireConnection): void {
    this.#connection = connection;
    connection.parse({ text: this.#text });
    connection.bind({ portal: this.#portal, values: this.#values });
    connection.describe({ type: "P", name: this.#portal });
    connection.execute({ portal: this.#portal, rows: this.#batchSize });
    connection.flush();
  }

  handleRowDescription(message: PgRowDescription): void {
    this.#columns = message.fields.map((field) => field.name);
    this.#columnTypes = message.fields.map((field) => field.dataTypeID);
  }

  handleDataRow(message: PgDataRow): void {
    this.#rows.push(message.fields as (string | null)[]);
  }

  handlePortalSuspended(): void {
    this.#settle("suspended");
  }

  handleCommandComplete(_message: unknown, connection: PgWireConnection): void {
    this.#finish(connection);
    this.#signal();
  }

  handleEmptyQuery(connection: PgWireConnection): void {
    this.#state = "completing";
    connection.sync();
  }

  handleReadyForQuery(): void {
    this.#settle("done");
  }

  handleError(error: Error, connection: PgWireConnection): void {
    this.#error = error;
    // A server error leaves the extended-protocol exchange open until Sync, unless `#finish` has
    // sent it already; a socket error (no severity) means there is no server left to answer.
    const fromServer = (error as { severity?: unknown }).severity !== undefined;
    if (fromServer && this.#state !== "completing") connection.sync();
    this.#signal();
  }

  handleCopyInResponse(connection: PgWireConnection): void {
    connection.sendCopyFail("COPY FROM STDIN is not supported by tsalchemy streams");
  }

  handleCopyData(): void {}

  #fetch(): void {
    this.#state = "busy";
    this.#connection?.execute({ portal: this.#portal, rows: this.#batchSize });
    this.#connection?.flush();
  }

  /** Closing the named portal matters inside a transaction, where it would otherwise hold locks. */
  #finish(connection: PgWireConnection): void {
    this.#state = "completing";
    connection.close({ type: "P", name: this.#portal });
    connection.sync();
  }

  #settle(state: "suspended" | "done"): void {
    this.#state = state;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #settled(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }
}
