/** V8 turns an array into a hash table when an index lands this far past its end. */
const MAX_GAP = 1024;

function isIndex(value: unknown): value is number {
  return typeof value === "number" && (value | 0) === value && value >= 0;
}

/**
 * One mapper's instances in the identity map (the objects: a loaded row may have no state of its
 * own, ADR 0016), by `Mapper.identityValue`. Small non-negative
 * integer keys (what auto-increment primary keys are) go in an array indexed by the key: 8 bytes
 * and no hashing per instance, against a `Map` entry's 37 bytes and rehashing as it grows (the
 * identity map's `add` was 5.6% of issue 5's W1 profile). An index is only taken while it stays
 * within `MAX_GAP` of the array's end and the array stays under twice the entries it holds plus
 * `MAX_GAP`, so the array never turns into a hash table and iterating it costs O(entries); any
 * other key goes in the `Map`.
 */
export class IdentityPartition {
  readonly #dense: (object | undefined)[] = [];
  #denseCount = 0;
  readonly #other = new Map<unknown, object>();

  get size(): number {
    return this.#denseCount + this.#other.size;
  }

  get(value: unknown): object | undefined {
    if (isIndex(value)) {
      const object = this.#dense[value];
      if (object !== undefined) return object;
    }
    return this.#other.size === 0 ? undefined : this.#other.get(value);
  }

  set(value: unknown, object: object): void {
    const dense = this.#dense;
    if (isIndex(value) && (value < dense.length || (value < dense.length + MAX_GAP && value < 2 * this.#denseCount + MAX_GAP))) {
      // A key once refused by the array stays in the map, so that it is never held twice.
      if (this.#other.size === 0 || !this.#other.has(value)) {
        if (dense[value] === undefined) this.#denseCount++;
        dense[value] = object;
        return;
      }
    }
    this.#other.set(value, object);
  }

  delete(value: unknown): void {
    if (isIndex(value) && this.#dense[value] !== undefined) {
      this.#dense[value] = undefined;
      this.#denseCount--;
      return;
    }
    this.#other.delete(value);
  }

  /** Calls `visit` with each instance (array keys in order, then the others), allocating nothing. */
  forEach(visit: (object: object) => void): void {
    const dense = this.#dense;
    for (let i = 0; i < dense.length; i++) {
      const object = dense[i];
      if (object !== undefined) visit(object);
    }
    if (this.#other.size > 0) for (const object of this.#other.values()) visit(object);
  }
}
