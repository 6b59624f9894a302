import { InvalidRequestError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { cascadeTargets } from "./cascades.ts";
import type { IdentityMap } from "./identity-map.ts";
import type { SessionEvents, TransitionName } from "./session-events.ts";

/**
 * Which objects a session holds and in what state (SQLAlchemy's pending / persistent / deleted
 * sets): the identity map, the pending objects, those marked for deletion, and what the current
 * transaction's flushes inserted and deleted, so a rollback can undo it. No I/O: the session
 * runs the statements and calls these at each step of the lifecycle.
 */
export class SessionObjects {
  readonly identityMap: IdentityMap;
  /** Added, not yet flushed. */
  readonly pending = new Set<InstanceState>();
  /** Marked for DELETE at the next flush. */
  readonly deleted = new Set<InstanceState>();
  /** Deleted by a flush in this transaction: detached at commit, restored by rollback. */
  readonly flushedDeletes = new Set<InstanceState>();
  /** INSERTed by a flush in this transaction: transient again after a rollback (the row is gone). */
  readonly flushedInserts = new Set<InstanceState>();
  #insertCounter = 0;
  /** The session's listeners: each transition is reported to them when any is registered. */
  readonly #events: SessionEvents | undefined;

  constructor(identityMap: IdentityMap, events?: SessionEvents) {
    this.identityMap = identityMap;
    this.#events = events;
  }

  #emit(name: TransitionName, state: InstanceState): void {
    const events = this.#events;
    if (events !== undefined && events.any) events.transition(name, state);
  }

  /** Whether the object is in the session (pending or persistent). */
  contains(state: InstanceState): boolean {
    return this.pending.has(state) || state.owner === this.identityMap;
  }

  /** Whether anything waits for a flush. */
  get hasChanges(): boolean {
    return this.pending.size > 0 || this.identityMap.modified.size > 0 || this.deleted.size > 0;
  }

  /** `add()`: a new object becomes pending, a detached one persistent again; save-update cascades. */
  attach(state: InstanceState): void {
    if (state.owner !== undefined && state.owner !== this.identityMap) {
      throw new InvalidRequestError(`Object '${state.mapper.describe(state)}' is already attached to another session`);
    }
    if (!state.hasIdentity) {
      if (this.pending.has(state)) return;
      this.#emit("beforeAttach", state);
      state.status = "pending";
      state.insertOrder = ++this.#insertCounter;
      this.pending.add(state);
      this.#emit("afterAttach", state);
      this.#emit("transientToPending", state);
    } else {
      if (state.owner === this.identityMap) return;
      this.#emit("beforeAttach", state);
      const existing = this.identityMap.find(state.mapper, state.identity ?? [], state.identityToken);
      if (existing && existing !== state) {
        throw new InvalidRequestError(
          `Can't attach instance '${state.mapper.describe(state)}'; another instance with key ${state.mapper.describe(existing)} is already present in this session.`,
        );
      }
      state.status = "persistent";
      this.identityMap.add(state);
      this.#emit("afterAttach", state);
      this.#emit("detachedToPersistent", state);
    }
    this.cascadeSave(state);
  }

  /** Brings what `state` reaches through save-update cascades into the session. */
  cascadeSave(state: InstanceState): void {
    for (const target of cascadeTargets(state, "save-update")) {
      if (!target.hasIdentity ? !this.pending.has(target) : target.owner === undefined) this.attach(target);
    }
  }

  /** Removes an object: pending ones become transient, the others detached. */
  expunge(state: InstanceState): void {
    if (this.pending.delete(state)) {
      state.status = "transient";
      this.#emit("pendingToTransient", state);
      return;
    }
    this.deleted.delete(state);
    const wasDeleted = this.flushedDeletes.delete(state);
    this.#detach(state);
    this.#emit(wasDeleted ? "deletedToDetached" : "persistentToDetached", state);
  }

  /** After a successful flush: new rows get their identity, deleted ones leave the map. */
  flushed(saves: readonly InstanceState[], deletes: readonly InstanceState[]): void {
    for (const state of saves) {
      if (!state.hasIdentity) {
        // Its identity is read from the key slots from now on (captured if they change), as for a loaded row.
        state.markLoaded();
        this.pending.delete(state);
        this.identityMap.add(state);
        this.flushedInserts.add(state);
        this.#emit("pendingToPersistent", state);
      }
      state.resetHistory();
      this.identityMap.clearModified(state);
    }
    for (const state of deletes) {
      state.status = "deleted";
      this.identityMap.remove(state);
      this.deleted.delete(state);
      this.flushedDeletes.add(state);
      this.#emit("persistentToDeleted", state);
    }
  }

  /** After COMMIT: deleted objects are detached; with `expire`, every instance is expired. */
  committed(expire: boolean): void {
    for (const state of this.flushedDeletes) {
      this.#detach(state);
      this.#emit("deletedToDetached", state);
    }
    this.flushedDeletes.clear();
    this.flushedInserts.clear();
    if (expire) for (const state of this.identityMap.states()) state.expireAll("expired by commit");
  }

  /**
   * After ROLLBACK (of the transaction, or of a savepoint with what was flushed before it):
   * pending objects are expunged, flushed INSERTs undone, flushed DELETEs restored, and every
   * persistent instance expired.
   */
  rolledBack(before?: { readonly inserted: ReadonlySet<InstanceState>; readonly deleted: ReadonlySet<InstanceState> }): void {
    const pending = [...this.pending];
    this.pending.clear();
    for (const state of pending) {
      state.status = "transient";
      this.#emit("pendingToTransient", state);
    }
    for (const state of [...this.flushedInserts]) if (!before?.inserted.has(state)) this.#unInsert(state);
    for (const state of [...this.flushedDeletes]) if (!before?.deleted.has(state)) this.#unDelete(state);
    this.deleted.clear();
    for (const state of this.identityMap.states()) {
      state.expireAll("expired by rollback");
      this.identityMap.clearModified(state);
    }
  }

  /** `close()`: every object leaves, keeping its loaded values (nothing is expired). */
  closed(): void {
    const pending = [...this.pending];
    this.pending.clear();
    for (const state of pending) {
      state.status = "transient";
      this.#emit("pendingToTransient", state);
    }
    this.deleted.clear();
    this.flushedDeletes.clear();
    this.flushedInserts.clear();
    const persistent = this.#events?.any === true ? this.identityMap.states() : [];
    this.identityMap.detachAll();
    for (const state of persistent) this.#emit("persistentToDetached", state);
  }

  /** What a savepoint's rollback must leave alone: what was flushed before it began. */
  snapshot(): { readonly inserted: ReadonlySet<InstanceState>; readonly deleted: ReadonlySet<InstanceState> } {
    return { inserted: new Set(this.flushedInserts), deleted: new Set(this.flushedDeletes) };
  }

  /** Each table's rank in the metadata's creation order, for ordering a flush. */
  tableRanks(): Map<unknown, number> {
    const ranks = new Map<unknown, number>();
    const states = [...this.pending, ...this.identityMap.modified, ...this.deleted];
    const metadata = (states[0]?.mapper as Mapper | undefined)?.table.metadata;
    metadata?.sortedTables.forEach((t, i) => ranks.set(t, i));
    return ranks;
  }

  #detach(state: InstanceState): void {
    this.identityMap.remove(state);
    state.status = "detached";
  }

  /** A rolled-back INSERT: the object is transient again (keeping its values, as SQLAlchemy does). */
  #unInsert(state: InstanceState): void {
    this.flushedInserts.delete(state);
    this.identityMap.remove(state);
    state.key = undefined;
    state.identity = undefined;
    state.status = "transient";
    state.resetHistory();
    this.#emit("persistentToTransient", state);
  }

  /** A rolled-back DELETE: the object is persistent again. */
  #unDelete(state: InstanceState): void {
    this.flushedDeletes.delete(state);
    state.status = "persistent";
    this.identityMap.add(state);
    this.#emit("deletedToPersistent", state);
  }
}
