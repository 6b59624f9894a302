import { type AsyncConnection, AsyncSession, type AsyncSessionmaker, listen, remove } from "../../../../src/index.ts";
import { AuditEntry, Author, Post } from "../../../fixtures/event-models/index.ts";

/** How a test names an instance in an event log: `Author(ann)`, `Post(p1)`. */
export function label(instance: unknown): string {
  try {
    return labelOf(instance);
  } catch {
    return `${(instance as object).constructor.name}(expired)`; // read after commit/rollback expired it
  }
}

function labelOf(instance: unknown): string {
  if (instance instanceof Author) return `Author(${instance.name})`;
  if (instance instanceof Post) return `Post(${instance.title})`;
  if (instance instanceof AuditEntry) return `AuditEntry(${instance.action})`;
  return String(instance);
}

const TRANSITIONS = [
  "transientToPending",
  "pendingToTransient",
  "pendingToPersistent",
  "persistentToTransient",
  "persistentToDetached",
  "persistentToDeleted",
  "deletedToDetached",
  "deletedToPersistent",
  "detachedToPersistent",
  "loadedAsPersistent",
] as const;

/**
 * Registers a listener for every session event except doOrmExecute on `target`, each pushing
 * `"event"` or `"event Label"` to the returned log; `connections` collects afterBegin's.
 */
export function recordSessionEvents(target: AsyncSession | AsyncSessionmaker | typeof AsyncSession): { log: string[]; connections: AsyncConnection[]; sessions: Set<AsyncSession> } {
  const log: string[] = [];
  const connections: AsyncConnection[] = [];
  const sessions = new Set<AsyncSession>();
  const plain = (name: string) => (session: AsyncSession) => void (sessions.add(session), log.push(name));
  listen(target, "beforeFlush", (session, context, instances) => {
    sessions.add(session);
    if (context.session !== session || instances !== undefined) throw new Error("beforeFlush arguments");
    log.push("beforeFlush");
  });
  listen(target, "afterFlush", (session, context) => void (sessions.add(context.session), log.push("afterFlush")));
  listen(target, "afterFlushPostexec", (session, context) => void (sessions.add(context.session), log.push("afterFlushPostexec")));
  listen(target, "afterBegin", (session, transaction, connection) => {
    sessions.add(session);
    connections.push(connection);
    log.push(transaction.nested ? "afterBegin nested" : "afterBegin");
  });
  listen(target, "beforeCommit", plain("beforeCommit"));
  listen(target, "afterCommit", plain("afterCommit"));
  listen(target, "afterRollback", plain("afterRollback"));
  listen(target, "afterSoftRollback", (session, previous) => void (sessions.add(session), log.push(previous.nested ? "afterSoftRollback nested" : "afterSoftRollback")));
  for (const name of TRANSITIONS) listen(target, name, (session, instance) => void (sessions.add(session), log.push(`${name} ${label(instance)}`)));
  return { log, connections, sessions };
}

const PERSISTENCE = ["beforeInsert", "afterInsert", "beforeUpdate", "afterUpdate", "beforeDelete", "afterDelete"] as const;

/**
 * Registers every mapper event of Author and Post, each pushing `"event Label"` to `log` (and the
 * connection and mapper class name it got to `seen`); returns the function that removes them all
 * (mapper listeners are global: every test removes its own).
 */
export function recordMapperEvents(log: string[], seen: { connections: Set<AsyncConnection>; mappers: Set<string>; sessions: Set<unknown> } = emptySeen()): () => void {
  const removers: (() => void)[] = [];
  for (const model of [Author, Post] as const) {
    for (const name of PERSISTENCE) {
      const fn = (mapper: { className: string }, connection: AsyncConnection, target: object) => {
        seen.mappers.add(mapper.className);
        seen.connections.add(connection);
        log.push(`${name} ${label(target)}`);
      };
      listen(model as typeof Author, name, fn);
      removers.push(() => remove(model as typeof Author, name, fn));
    }
    const load = (target: object, context: { session: AsyncSession }) => void (seen.sessions.add(context.session), log.push(`load ${label(target)}`));
    const refresh = (target: object, context: { session: AsyncSession }, attrs: readonly string[] | undefined) =>
      void (seen.sessions.add(context.session), log.push(`refresh ${label(target)} ${attrs === undefined ? "all" : attrs.join(",")}`));
    listen(model as typeof Author, "load", load);
    listen(model as typeof Author, "refresh", refresh);
    removers.push(() => remove(model as typeof Author, "load", load), () => remove(model as typeof Author, "refresh", refresh));
  }
  return () => {
    for (const stop of removers) stop();
  };
}

export function emptySeen(): { connections: Set<AsyncConnection>; mappers: Set<string>; sessions: Set<unknown> } {
  return { connections: new Set(), mappers: new Set(), sessions: new Set() };
}

export { AsyncSession };
