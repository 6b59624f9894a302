import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { AsyncSession, type SessionOptions } from "./async-session.ts";

/**
 * A factory of sessions with shared options (SQLAlchemy's `async_sessionmaker`): bind the engine
 * and options once, then open one session per request or task.
 *
 * ```ts
 * const Session = asyncSessionmaker(engine, { expireOnCommit: false });
 * await using session = Session();
 * ```
 */
export function asyncSessionmaker(engine: AsyncEngine, options: SessionOptions = {}): () => AsyncSession {
  return () => new AsyncSession(engine, options);
}
