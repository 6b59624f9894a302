import type { DriverConnection } from "../drivers/driver.ts";

/** The pool's events and their arguments (SQLAlchemy's `PoolEvents`, reduced). */
export interface PoolEventMap {
  /** A new connection was opened. */
  connect: [connection: DriverConnection];
  /** A connection is being handed out. */
  checkout: [connection: DriverConnection];
  /** A connection came back (after its reset). */
  checkin: [connection: DriverConnection];
  /** A connection is being thrown away because it broke (`error` tells why, when known). */
  invalidate: [connection: DriverConnection, error: unknown];
  /** A connection given back is being reset: a ROLLBACK, or the driver's full session reset. */
  reset: [connection: DriverConnection, kind: "rollback" | "full"];
}

export type PoolEventName = keyof PoolEventMap;
export type PoolListener<E extends PoolEventName> = (...args: PoolEventMap[E]) => void;

/**
 * A tiny typed event emitter. Listeners run in the order added; if one throws, the others still
 * run and the first error is rethrown to the pool operation that emitted.
 */
export class PoolEvents {
  readonly #listeners: { [E in PoolEventName]?: Set<PoolListener<E>> } = {};

  /** Adds a listener; returns a function that removes it. */
  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void {
    const listeners: Set<PoolListener<E>> = this.#listeners[event] ?? new Set();
    (this.#listeners as Record<E, Set<PoolListener<E>>>)[event] = listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  emit<E extends PoolEventName>(event: E, ...args: PoolEventMap[E]): void {
    const listeners: Set<PoolListener<E>> | undefined = this.#listeners[event];
    if (!listeners) return;
    let failure: { error: unknown } | undefined;
    for (const listener of [...listeners]) {
      try {
        listener(...args);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
