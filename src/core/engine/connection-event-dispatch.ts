import { LayeredListeners, type ListenerRegistry } from "../../shared/listener-registry.ts";
import type { DriverResult } from "../drivers/driver.ts";
import type { AsyncConnection } from "./async-connection.ts";
import type { AsyncEngine } from "./async-engine.ts";
import type { ConnectionEventMap, ReplacedStatement } from "./connection-events.ts";

/**
 * Fires one connection's events: the engine's listeners, then the connection's own. Every method
 * first asks `any` (two field reads), so a connection nobody listens to builds no arguments.
 */
export class ConnectionEventDispatch {
  readonly #connection: AsyncConnection;
  readonly #layers: LayeredListeners<ConnectionEventMap>;

  constructor(connection: AsyncConnection, engine: ListenerRegistry<ConnectionEventMap> | undefined) {
    this.#connection = connection;
    this.#layers = new LayeredListeners([engine]);
  }

  /** The connection's own listeners (`listen(conn, …)`), made on first use. */
  get own(): ListenerRegistry<ConnectionEventMap> {
    return this.#layers.own;
  }

  get any(): boolean {
    return this.#layers.any;
  }

  #listeners<K extends keyof ConnectionEventMap>(name: K) {
    return this.#layers.listeners(name);
  }

  /** `begin`, `commit` or `rollback`. */
  fire(name: "begin" | "commit" | "rollback"): void {
    const listeners = this.#listeners(name);
    if (listeners !== undefined) for (const listener of listeners) listener.run(this.#connection);
  }

  /** `savepoint`, `releaseSavepoint` or `rollbackSavepoint`, with the savepoint's name. */
  fireSavepoint(name: "savepoint" | "releaseSavepoint" | "rollbackSavepoint", savepoint: string): void {
    const listeners = this.#listeners(name);
    if (listeners !== undefined) for (const listener of listeners) listener.run(this.#connection, savepoint);
  }

  /** `beforeExecute`: the statement to send, replaced by a `retval` listener when `replaceable`. */
  beforeExecute(sql: string, params: readonly unknown[], replaceable: boolean): ReplacedStatement {
    const listeners = this.#listeners("beforeExecute");
    if (listeners === undefined) return { sql, params };
    for (const listener of listeners) {
      const replaced = listener.run(this.#connection, sql, params);
      if (replaceable && listener.retval && replaced) ({ sql, params } = replaced);
    }
    return { sql, params };
  }

  afterExecute(sql: string, params: readonly unknown[], result: DriverResult): void {
    const listeners = this.#listeners("afterExecute");
    if (listeners === undefined) return;
    const outcome = { columns: result.columns, rowCount: result.rows.length, rowsAffected: result.rowsAffected };
    for (const listener of listeners) listener.run(this.#connection, sql, params, outcome);
  }

  /** Runs the `handleError` listeners: the error to raise (the last `Error` one returned, else `error`). */
  handleError(error: unknown, sql: string, params: readonly unknown[], isDisconnect: boolean): unknown {
    const listeners = this.#listeners("handleError");
    if (listeners === undefined) return error;
    const connection = this.#connection;
    const context = { connection, engine: connection.engine as AsyncEngine, error, sql, params, isDisconnect };
    let raised = error;
    for (const listener of listeners) {
      const replaced = listener.run(context);
      if (replaced instanceof Error) raised = replaced;
    }
    return raised;
  }
}
