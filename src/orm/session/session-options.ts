/** What a session is built with (`new AsyncSession(engine, options)`), and what a statement run in it takes. */
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { StatementOptions } from "../../core/engine/statement-options.ts";
import type { ListenerRegistry } from "../../shared/listener-registry.ts";
import type { NPlusOneOptions } from "./n-plus-one.ts";
import type { BindKey, GetBind } from "./session-binds.ts";
import { MAKER_EVENTS, type SessionEventMap } from "./session-events.ts";
import { SHARD_ROUTING, type ShardRouting } from "./shard-routing.ts";
import type { StrictLoadingMode } from "./strict-loading.ts";

export interface SessionOptions {
  /** Expire every instance after `commit()` (default true, as in SQLAlchemy). */
  readonly expireOnCommit?: boolean;
  /** Flush pending changes before queries (default true). */
  readonly autoflush?: boolean;
  /**
   * Report lazy relationship reads that succeed only because the target was in the identity map
   * ("off" by default, as SQLAlchemy; "warn" emits a process warning; "raise" throws StrictLoadingError).
   */
  readonly strictLoading?: StrictLoadingMode;
  /** Report a relationship loaded one parent at a time many times (N+1); off unless set. */
  readonly detectNPlusOne?: NPlusOneOptions;
  /**
   * Engines for some models (and their subclasses) or tables, SQLAlchemy's `binds`: their loads,
   * flushes and statements run there; the rest on the session's engine.
   */
  readonly binds?: ReadonlyMap<BindKey, AsyncEngine>;
  /**
   * Chooses the engine of each operation (SQLAlchemy's overridden `Session.get_bind`); returning
   * `undefined` falls back to `binds`. `replicaRouting()` builds one for a primary and replicas.
   */
  readonly getBind?: GetBind;
  /** @internal A `ShardedSession`'s routing. */
  readonly [SHARD_ROUTING]?: ShardRouting;
  /** @internal The listeners of the `asyncSessionmaker` that made the session. */
  readonly [MAKER_EVENTS]?: ListenerRegistry<SessionEventMap>;
}

/** A statement's options in a session: the connection's (timeout, signal) and where it runs. */
export interface SessionStatementOptions extends StatementOptions {
  /**
   * Run on this engine, whatever `getBind` or `binds` say (SQLAlchemy's
   * `bind_arguments={"bind": engine}`); the loads the statement's options trigger run there too.
   */
  readonly bind?: AsyncEngine;
  /** In a `ShardedSession`: run on this shard only (SQLAlchemy's `bind_arguments={"shard_id": …}`). */
  readonly shardId?: string;
}
