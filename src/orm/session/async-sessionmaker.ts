import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { ListenerRegistry } from "../../shared/listener-registry.ts";
import { AsyncSession, type SessionOptions } from "./async-session.ts";
import { MAKER_EVENTS, type SessionEventMap } from "./session-events.ts";

/** What `asyncSessionmaker()` returns: call it for a new session; `listen(maker, …)` reaches every session it makes. */
export interface AsyncSessionmaker {
  (): AsyncSession;
  /** @internal The listeners of the sessions it makes. */
  readonly [MAKER_EVENTS]: ListenerRegistry<SessionEventMap>;
}

/**
 * A factory of sessions with shared options (SQLAlchemy's `async_sessionmaker`): bind the engine
 * and options once, then open one session per request or task.
 *
 * ```ts
 * const Session = asyncSessionmaker(engine, { expireOnCommit: false });
 * await using session = Session();
 * ```
 */
export function asyncSessionmaker(engine: AsyncEngine, options: SessionOptions = {}): AsyncSessionmaker {
  const events = new ListenerRegistry<SessionEventMap>();
  const sessionOptions: SessionOptions = { ...options, [MAKER_EVENTS]: events };
  return Object.assign(() => new AsyncSession(engine, sessionOptions), { [MAKER_EVENTS]: events });
}
