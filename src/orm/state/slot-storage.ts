/**
 * Where a mapped instance keeps its column and relationship values: on the instance itself, one
 * property per slot, keyed by a symbol per slot number (ADR 0016 stage 2). A loaded row is then
 * the instance plus its state, with no values array between them: W1's 10,000 users retained
 * 2.9 MB with the array and 2.4 MB without it.
 *
 * The symbols are shared by every model (`Symbol.for`, so two copies of the library agree), which
 * lets a subclass read an inherited attribute with its base's key. They never collide with a
 * user's property, and `Object.keys` / `JSON.stringify` do not see them.
 *
 * The first 16 slots are read and written by code written out per slot number, as V8 makes each
 * `object[K3]` with a constant key a site of its own; a loop storing `object[keys[i]]` is one site
 * for every key of every model, which made hydration 7–13% slower when it was tried (ADR 0016).
 */

/** Slots handled by the written-out code; the rest go through a keyed loop. */
const UNROLLED = 16;

const keys: symbol[] = [];

/** The property key of slot `slot` on an instance. */
export function slotKey(slot: number): symbol {
  for (let n = keys.length; n <= slot; n++) keys.push(Symbol.for(`tsalchemy.slot.${n}`));
  return keys[slot] as symbol;
}

const K0 = slotKey(0);
const K1 = slotKey(1);
const K2 = slotKey(2);
const K3 = slotKey(3);
const K4 = slotKey(4);
const K5 = slotKey(5);
const K6 = slotKey(6);
const K7 = slotKey(7);
const K8 = slotKey(8);
const K9 = slotKey(9);
const K10 = slotKey(10);
const K11 = slotKey(11);
const K12 = slotKey(12);
const K13 = slotKey(13);
const K14 = slotKey(14);
const K15 = slotKey(15);

type Slotted = Record<symbol, unknown>;

/**
 * Puts `count` slots holding `unloaded` on `object`, slot 0 first, so that every instance of a
 * model has one hidden class; a loaded row's values are written over them with `writeSlot`
 * (cheaper than building a values array per row only to copy it). On an object that has its
 * slots already, it unloads them all (`expireAll`).
 */
export function putUnloaded(object: object, count: number, unloaded: unknown): void {
  const o = object as Slotted;
  if (count > 0) o[K0] = unloaded;
  if (count > 1) o[K1] = unloaded;
  if (count > 2) o[K2] = unloaded;
  if (count > 3) o[K3] = unloaded;
  if (count > 4) o[K4] = unloaded;
  if (count > 5) o[K5] = unloaded;
  if (count > 6) o[K6] = unloaded;
  if (count > 7) o[K7] = unloaded;
  if (count > 8) o[K8] = unloaded;
  if (count > 9) o[K9] = unloaded;
  if (count > 10) o[K10] = unloaded;
  if (count > 11) o[K11] = unloaded;
  if (count > 12) o[K12] = unloaded;
  if (count > 13) o[K13] = unloaded;
  if (count > 14) o[K14] = unloaded;
  if (count > 15) o[K15] = unloaded;
  for (let slot = UNROLLED; slot < count; slot++) o[slotKey(slot)] = unloaded;
}

/** The value in `slot` of `object`. */
export function readSlot(object: object, slot: number): unknown {
  const o = object as Slotted;
  switch (slot) {
    case 0:
      return o[K0];
    case 1:
      return o[K1];
    case 2:
      return o[K2];
    case 3:
      return o[K3];
    case 4:
      return o[K4];
    case 5:
      return o[K5];
    case 6:
      return o[K6];
    case 7:
      return o[K7];
    case 8:
      return o[K8];
    case 9:
      return o[K9];
    case 10:
      return o[K10];
    case 11:
      return o[K11];
    case 12:
      return o[K12];
    case 13:
      return o[K13];
    case 14:
      return o[K14];
    case 15:
      return o[K15];
    default:
      return o[slotKey(slot)];
  }
}

/** Stores `value` in `slot` of `object`. */
export function writeSlot(object: object, slot: number, value: unknown): void {
  const o = object as Slotted;
  switch (slot) {
    case 0:
      o[K0] = value;
      return;
    case 1:
      o[K1] = value;
      return;
    case 2:
      o[K2] = value;
      return;
    case 3:
      o[K3] = value;
      return;
    case 4:
      o[K4] = value;
      return;
    case 5:
      o[K5] = value;
      return;
    case 6:
      o[K6] = value;
      return;
    case 7:
      o[K7] = value;
      return;
    case 8:
      o[K8] = value;
      return;
    case 9:
      o[K9] = value;
      return;
    case 10:
      o[K10] = value;
      return;
    case 11:
      o[K11] = value;
      return;
    case 12:
      o[K12] = value;
      return;
    case 13:
      o[K13] = value;
      return;
    case 14:
      o[K14] = value;
      return;
    case 15:
      o[K15] = value;
      return;
    default:
      o[slotKey(slot)] = value;
  }
}

/**
 * A function reading one slot, for an attribute's getter: a function literal per slot number, so
 * each has an inline cache of its own (closures over one literal share theirs, which made reads
 * 40–70% slower when tried; these made them 20% faster than reading an array).
 */
export function slotReader(slot: number): (object: object) => unknown {
  switch (slot) {
    case 0:
      return (o) => (o as Slotted)[K0];
    case 1:
      return (o) => (o as Slotted)[K1];
    case 2:
      return (o) => (o as Slotted)[K2];
    case 3:
      return (o) => (o as Slotted)[K3];
    case 4:
      return (o) => (o as Slotted)[K4];
    case 5:
      return (o) => (o as Slotted)[K5];
    case 6:
      return (o) => (o as Slotted)[K6];
    case 7:
      return (o) => (o as Slotted)[K7];
    case 8:
      return (o) => (o as Slotted)[K8];
    case 9:
      return (o) => (o as Slotted)[K9];
    case 10:
      return (o) => (o as Slotted)[K10];
    case 11:
      return (o) => (o as Slotted)[K11];
    case 12:
      return (o) => (o as Slotted)[K12];
    case 13:
      return (o) => (o as Slotted)[K13];
    case 14:
      return (o) => (o as Slotted)[K14];
    case 15:
      return (o) => (o as Slotted)[K15];
    default: {
      const key = slotKey(slot);
      return (o) => (o as Slotted)[key];
    }
  }
}
