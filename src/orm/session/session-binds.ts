import type { AnyEngine } from "../../core/engine/any-engine.ts";
import type { Executable } from "../../core/engine/executable.ts";
import { Table } from "../../core/schema/table.ts";
import type { FromNode, Node } from "../../core/sql/nodes.ts";
import { InvalidRequestError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";

type ModelClass = abstract new (...args: never[]) => object;

/** What a session's `binds` map keys: a model class (and its subclasses) or a table. */
export type BindKey = ModelClass | Table;

/** What the session is about to do, for `getBind` to choose an engine (SQLAlchemy's `Session.get_bind` arguments). */
export interface BindRequest {
  /** The model the operation is about: a flush's, a `get`'s, a load's, an ORM select's first entity. */
  readonly model: ModelClass | undefined;
  /** The table a Core statement reads or writes first, or the model's table. */
  readonly table: Table | undefined;
  /** The statement, when the operation runs one the caller built. */
  readonly statement: Executable<unknown> | undefined;
  /**
   * The operation only reads: a SELECT without FOR UPDATE / FOR SHARE, a lazy or eager load, a
   * refresh. False for a flush, INSERT / UPDATE / DELETE, `text()` (its SQL is not inspected) and
   * locking reads.
   */
  readonly readOnly: boolean;
  /** The session has written in its current transaction (a flush or a statement that was not read-only). */
  readonly wrote: boolean;
  /** The engines the session's current transaction already has a connection on, in the order they joined. */
  readonly joined: readonly AnyEngine[];
}

/**
 * Chooses the engine for an operation; `undefined` falls back to `binds`, then the session's
 * engine. `replicaRouting()` is one; any function of the request will do.
 */
export type GetBind = (request: BindRequest) => AnyEngine | undefined;

/**
 * The session's choice of engine (SQLAlchemy's `Session.get_bind`): `getBind`, then `binds` by
 * model class (walking up to its base classes) and by table, then the session's own engine.
 */
export class SessionBinds {
  readonly #default: AnyEngine;
  readonly #binds: ReadonlyMap<BindKey, AnyEngine>;
  readonly #getBind: GetBind | undefined;
  /** Tables by node, to find the `Table` a Core statement names (its node is all it keeps). */
  readonly #tablesByNode = new Map<Node, Table>();

  constructor(defaultEngine: AnyEngine, binds: ReadonlyMap<BindKey, AnyEngine> | undefined, getBind: GetBind | undefined) {
    this.#default = defaultEngine;
    this.#binds = binds ?? new Map();
    this.#getBind = getBind;
    for (const key of this.#binds.keys()) if (key instanceof Table) this.#tablesByNode.set(key.node, key);
  }

  /** Whether every operation goes to the session's engine (no `binds`, no `getBind`). */
  get single(): boolean {
    return this.#getBind === undefined && this.#binds.size === 0;
  }

  /** The engine for an operation on `mapper`'s rows, or running `statement`. */
  engineFor(request: BindRequest): AnyEngine {
    if (this.single) return this.#default;
    const chosen = this.#getBind?.(request);
    if (chosen !== undefined) return chosen;
    for (let cls: unknown = request.model; typeof cls === "function" && cls !== Function.prototype; cls = Object.getPrototypeOf(cls)) {
      const engine = this.#binds.get(cls as ModelClass);
      if (engine !== undefined) return engine;
    }
    if (request.table !== undefined) return this.#binds.get(request.table) ?? this.#default;
    return this.#default;
  }

  /** The request for an operation on `mapper`'s rows. */
  forMapper(mapper: Mapper, readOnly: boolean, wrote: boolean, joined: readonly AnyEngine[]): BindRequest {
    return { model: mapper.modelClass, table: mapper.table, statement: undefined, readOnly, wrote, joined };
  }

  /** The request for running `statement`; `mapper` is an ORM select's first entity. */
  forStatement(statement: Executable<unknown>, mapper: Mapper | undefined, wrote: boolean, joined: readonly AnyEngine[]): BindRequest {
    const readOnly = isReadOnly(statement);
    if (mapper !== undefined) return { model: mapper.modelClass, table: mapper.table, statement, readOnly, wrote, joined };
    return { model: undefined, table: this.#tableOf(statement.node as Node), statement, readOnly, wrote, joined };
  }

  #tableOf(node: Node): Table | undefined {
    switch (node.kind) {
      case "select":
        return node.from[0] === undefined ? undefined : this.#tableOfFrom(node.from[0]);
      case "insert":
      case "update":
      case "delete":
        return this.#tableOfFrom(node.table);
      default:
        return undefined;
    }
  }

  #tableOfFrom(from: FromNode): Table | undefined {
    switch (from.kind) {
      case "table":
        return this.#tablesByNode.get(from);
      case "join":
        return this.#tableOfFrom(from.left);
      default:
        return undefined;
    }
  }
}

/** A SELECT (or UNION …) that takes no row locks: what a replica can run. */
export function isReadOnly(statement: Executable<unknown>): boolean {
  const node = statement.node as Node;
  return (node.kind === "select" && node.forUpdate === undefined) || node.kind === "compound-select";
}

/** What `replicaRouting()` takes. */
export interface ReplicaRoutingOptions {
  /** Where writes, locking reads, `text()` and every read after a write in the transaction go. */
  readonly primary: AnyEngine;
  /** Where the other reads go, in turn (round robin). */
  readonly replicas: readonly AnyEngine[];
}

/**
 * A `getBind` that sends reads to replicas and the rest to the primary, with read-your-writes
 * inside a transaction: once the session has written (flushed, or run DML or `text()`), its reads
 * go to the primary until the transaction ends. Replication is asynchronous: a new transaction's
 * read on a replica may not see the previous transaction's commit yet (see `waitForReplay`).
 *
 * ```ts
 * const session = new AsyncSession(primary, { getBind: replicaRouting({ primary, replicas: [replica] }) });
 * ```
 */
export function replicaRouting({ primary, replicas }: ReplicaRoutingOptions): GetBind {
  if (replicas.length === 0) throw new InvalidRequestError("replicaRouting() needs at least one replica engine");
  let next = 0;
  return (request) => {
    if (!request.readOnly || request.wrote) return primary;
    // A transaction that already reads from a replica keeps to it: one connection, one snapshot.
    const joined = request.joined.find((engine) => replicas.includes(engine));
    if (joined !== undefined) return joined;
    const replica = replicas[next] as AnyEngine;
    next = (next + 1) % replicas.length;
    return replica;
  };
}
