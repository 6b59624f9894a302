import type { SharedLoadState } from "./shared-load-state.ts";
import { putUnloaded, readSlot, writeSlot } from "./slot-storage.ts";

/** The marker of a slot whose value is not loaded (never loaded, expired, or deferred). */
export const UNLOADED: unique symbol = Symbol("tsalchemy.unloaded");

/** Where each instance keeps its state; a symbol so it never collides with a user's property. */
export const STATE: unique symbol = Symbol.for("tsalchemy.state");

/** SQLAlchemy's object states. */
export type Status = "transient" | "pending" | "persistent" | "deleted" | "detached";

/** Why slots are unloaded, for the error message that reports it. */
export type UnloadedReason = "expired by commit" | "expired by rollback" | "expired" | undefined;

/** What the state needs from the session holding it (implemented by the session's identity map). */
export interface StateOwner {
  /** Called on the first change to a clean persistent instance: flush work is proportional to these. */
  markModified(state: InstanceState): void;
  /**
   * The instance of `mapper` with this primary key (on the shard `identityToken`), if the owner
   * holds it (lazy many-to-one reads look here).
   */
  find(mapper: StateMapper, identity: readonly unknown[], identityToken?: string): InstanceState | undefined;
  /** A row holding a state this owner's load shared made its own (the owner visits such rows when it lets them go). */
  ownStateMade?(): void;
  /** A lazy read was answered from the identity map: `strictLoading` warns or raises here. */
  lazyReadFromMemory?(state: InstanceState, property: { readonly path: string; readonly key: string }): void;
  /** `obj.awaitableAttrs.key`: loads one attribute now, with SQL if needed. */
  loadAttribute?(state: InstanceState, key: string): Promise<unknown>;
  /**
   * Set by a synchronous `Session`: a read of an unloaded attribute of a persistent object loads it
   * now and returns its value (`lazy: "select"` on access) instead of raising `MissingGreenlet`.
   */
  readonly loadOnRead?: ((state: InstanceState, key: string) => unknown) | undefined;
}

/** What the state needs from its mapper (the mapper implements it). */
export interface StateMapper {
  readonly className: string;
  /**
   * The mapper whose part of the identity map holds the instances: itself, or the base of its
   * inheritance hierarchy (a Manager and an Employee with one key are one object).
   */
  readonly identityMapper: StateMapper;
  /** The slots of the primary key columns, in key order. */
  readonly primaryKeySlots: readonly number[];
  /** The identity-map key string of these primary key values. */
  identityKey(primaryKey: readonly unknown[]): string;
  /** The key of an instance within the mapper's part of the identity map (see `Mapper.identityValue`). */
  identityValue(primaryKey: readonly unknown[]): unknown;
  /** `identityValue` of a single-column primary key value. */
  identityValueOf(value: unknown): unknown;
  /** How many slots (columns and relationships) an instance has. */
  readonly slotCount: number;
  /** Reads an unloaded slot: a default for new objects, a cached target, or an error naming the fix. */
  readUnloaded(state: InstanceState, slot: number): unknown;
  /** Describes the identity for messages: `User(id=100)`. */
  describe(state: InstanceState): string;
}

/**
 * The bookkeeping few instances need (changed, expired, pending, or loaded with per-path options):
 * kept out of `InstanceState` so that the common instance, loaded and never touched, carries
 * eight fields instead of thirteen. Memory per loaded row is what the garbage collector copies
 * while a large result is being built (issue 5's W1 profile: collection 9–27% of the time).
 */
class StateExtras {
  committed: Map<number, unknown> | undefined = undefined;
  identity: readonly unknown[] | undefined = undefined;
  unloadedReason: UnloadedReason = undefined;
  insertOrder = 0;
  parkedCollections: Map<number, unknown[]> | undefined = undefined;
  readOverrides: Map<number, "select" | "raise" | "raise_on_sql"> | undefined = undefined;
  identityToken: string | undefined = undefined;
}

/**
 * Per-instance bookkeeping (SQLAlchemy's `InstanceState`), with no I/O: the first previous value
 * of each changed slot, the identity key, the lifecycle status and the owning session. The values
 * themselves live on the instance (slot-storage.ts, ADR 0016); the ORM reaches them through
 * `valueAt`, `storeAt`, `set` and `slots()`, the attribute getters through their slot's reader.
 */
export class InstanceState {
  readonly mapper: StateMapper;
  /** The instance this state belongs to. */
  readonly object: object;
  /**
   * The identity-map key string, or `true` for a loaded row whose string is built only when asked
   * for (most loaded instances never are: the identity map keys them by value).
   */
  #key: string | true | undefined = undefined;
  status: Status = "transient";
  owner: StateOwner | undefined = undefined;
  /** The loader options at the path this instance was loaded by (a LoadTree), for its later explicit loads. */
  loadOptions: unknown = undefined;
  /** The rarely needed fields, allocated on first write. */
  #extras: StateExtras | undefined = undefined;

  /**
   * The state of `object`, whose slots it puts there, every one unloaded (loading writes a row's
   * values over them next); with `slotsInPlace`, the slots are there already (`ofShared`).
   */
  constructor(mapper: StateMapper, object: object, slotsInPlace = false) {
    this.mapper = mapper;
    this.object = object;
    if (!slotsInPlace) putUnloaded(object, mapper.slotCount, UNLOADED);
  }

  /** The state of a loaded row that held `shared` until now: put on the row, which keeps it from now on. */
  static ofShared(shared: SharedLoadState, object: object): InstanceState {
    const state = new InstanceState(shared.mapper, object, true);
    state.#key = true;
    state.status = shared.status;
    state.owner = shared.owner;
    state.loadOptions = shared.loadOptions;
    (object as { [STATE]: InstanceState })[STATE] = state;
    shared.owner?.ownStateMade?.();
    return state;
  }

  /** The identity-map key, once the row exists in the database. */
  get key(): string | undefined {
    const key = this.#key;
    if (key !== true) return key;
    return (this.#key = this.mapper.identityKey(this.identity as readonly unknown[]));
  }
  set key(key: string | undefined) {
    this.#key = key;
  }

  /** Hydration: the row exists in the database; its key string is built from the identity when read. */
  markLoaded(): void {
    this.#key = true;
    this.status = "persistent";
  }

  get #more(): StateExtras {
    return (this.#extras ??= new StateExtras());
  }

  /** Slot → value before the first change since the last flush (only for changed slots). */
  get committed(): Map<number, unknown> | undefined {
    return this.#extras?.committed;
  }
  set committed(committed: Map<number, unknown> | undefined) {
    if (committed !== undefined || this.#extras !== undefined) this.#more.committed = committed;
  }

  /** Set when the slots were expired, to say why in errors. */
  get unloadedReason(): UnloadedReason {
    return this.#extras?.unloadedReason;
  }
  set unloadedReason(reason: UnloadedReason) {
    if (reason !== undefined || this.#extras !== undefined) this.#more.unloadedReason = reason;
  }

  /**
   * Which database of a sharded session the row lives in (SQLAlchemy's `identity_token`, the third
   * part of its identity key): part of the instance's identity, so the same primary key on two
   * shards is two instances. Undefined outside sharding.
   */
  get identityToken(): string | undefined {
    return this.#extras?.identityToken;
  }
  set identityToken(token: string | undefined) {
    if (token !== undefined || this.#extras !== undefined) this.#more.identityToken = token;
  }

  /** Order of `add()` among pending objects, so INSERTs follow it. */
  get insertOrder(): number {
    return this.#extras?.insertOrder ?? 0;
  }
  set insertOrder(order: number) {
    this.#more.insertOrder = order;
  }

  /** Empty collections handed out for reads on new objects; they become real when changed. */
  get parkedCollections(): Map<number, unknown[]> | undefined {
    return this.#extras?.parkedCollections;
  }
  set parkedCollections(parked: Map<number, unknown[]> | undefined) {
    if (parked !== undefined || this.#extras !== undefined) this.#more.parkedCollections = parked;
  }

  /** Relationship slots whose unloaded read behaves as a loader option said (raiseload, lazyload …). */
  get readOverrides(): Map<number, "select" | "raise" | "raise_on_sql"> | undefined {
    return this.#extras?.readOverrides;
  }
  set readOverrides(overrides: Map<number, "select" | "raise" | "raise_on_sql"> | undefined) {
    if (overrides !== undefined || this.#extras !== undefined) this.#more.readOverrides = overrides;
  }

  /**
   * The primary key values behind `key` (kept when the slots are expired or changed, for refresh
   * and messages); `undefined` without a key. Read from the slots until captured, so loading a
   * row allocates nothing for it.
   */
  get identity(): readonly unknown[] | undefined {
    if (this.#key === undefined) return undefined;
    return this.#extras?.identity ?? this.mapper.primaryKeySlots.map((slot) => readSlot(this.object, slot));
  }

  /**
   * `Mapper.identityValue` of `identity` (the instance's key in its mapper's part of the identity
   * map), read from the slot without building an array for a single-column key.
   */
  get identityValue(): unknown {
    const captured = this.#extras?.identity;
    const slots = this.mapper.primaryKeySlots;
    if (captured === undefined && slots.length === 1) return this.mapper.identityValueOf(readSlot(this.object, slots[0] as number));
    return this.mapper.identityValue(this.identity as readonly unknown[]);
  }

  set identity(identity: readonly unknown[] | undefined) {
    if (identity !== undefined || this.#extras !== undefined) this.#more.identity = identity;
  }

  /** Whether the instance has changes not yet flushed. */
  get modified(): boolean {
    const committed = this.#extras?.committed;
    return committed !== undefined && committed.size > 0;
  }

  /** Whether the instance has a database identity (persistent, deleted or detached). */
  get hasIdentity(): boolean {
    return this.#key !== undefined;
  }

  /** The value in a slot as stored (UNLOADED when not loaded): no loading, no events. */
  valueAt(slot: number): unknown {
    return readSlot(this.object, slot);
  }

  /** Stores a slot's value as is: no change history, no events (loading, flush write-backs). */
  storeAt(slot: number, value: unknown): void {
    writeSlot(this.object, slot, value);
  }

  /** The values by slot, a copy taken now, for code that evaluates a whole row (identity keys, in-memory criteria). */
  slots(): readonly unknown[] {
    const values = new Array<unknown>(this.mapper.slotCount);
    for (let slot = 0; slot < values.length; slot++) values[slot] = readSlot(this.object, slot);
    return values;
  }

  /** Writes a slot, remembering the previous value once, and tells the session on the first change. */
  set(slot: number, value: unknown): void {
    this.recordChange(slot, readSlot(this.object, slot));
    writeSlot(this.object, slot, value);
  }

  /** Records that a slot changed in place (a collection), remembering `previous` once. */
  recordChange(slot: number, previous: unknown): void {
    if (this.#key === undefined) return;
    let committed = this.#extras?.committed;
    if (committed === undefined) {
      committed = this.#more.committed = new Map();
      this.owner?.markModified(this);
    }
    if (committed.has(slot)) return;
    // The identity is read from the key's slots until one of them changes (most changes are not to the key).
    if (this.mapper.primaryKeySlots.includes(slot)) this.#captureIdentity();
    committed.set(slot, previous);
  }

  /** Forgets change history after a flush: the current values are now what the database holds. */
  resetHistory(): void {
    this.committed = undefined;
  }

  /** Marks every slot unloaded, discarding unflushed changes (`expire()`). */
  expireAll(reason: UnloadedReason): void {
    this.#captureIdentity();
    putUnloaded(this.object, this.mapper.slotCount, UNLOADED);
    this.committed = undefined;
    this.unloadedReason = reason;
  }

  /** Marks some slots unloaded. */
  expireSlots(slots: readonly number[], reason: UnloadedReason): void {
    this.#captureIdentity();
    for (const slot of slots) {
      writeSlot(this.object, slot, UNLOADED);
      this.committed?.delete(slot);
    }
    this.unloadedReason = reason;
  }

  /** Keeps the primary key before slots change or expire (the identity must not follow them). */
  #captureIdentity(): void {
    if (this.#key !== undefined && this.#extras?.identity === undefined) this.#more.identity = this.identity;
  }
}

/** What an instance holds under `STATE`: its own state, or the state it shares with the rest of its load. */
export type HeldState = InstanceState | SharedLoadState;

/**
 * The state of a mapped instance (made now from the state its load shared, for a row that had no
 * state of its own yet), or `undefined` for anything else.
 */
export function stateOf(object: unknown): InstanceState | undefined {
  if (typeof object !== "object" || object === null) return undefined;
  const held = (object as { [STATE]?: HeldState })[STATE];
  return held === undefined || held instanceof InstanceState ? held : InstanceState.ofShared(held, object);
}

/** `stateOf` of an object known to be mapped. */
export function mappedState(object: object): InstanceState {
  const held = (object as { [STATE]: HeldState })[STATE];
  return held instanceof InstanceState ? held : InstanceState.ofShared(held, object);
}
