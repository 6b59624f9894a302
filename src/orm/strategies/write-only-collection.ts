import { InvalidRequestError } from "../../shared/errors.ts";
import { and } from "../../core/sql/elements.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { EntitySelect } from "../query/entity-select.ts";
import { select } from "../query/orm-select.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { trackedList } from "../mapper/back-populates.ts";
import { localValues } from "../mapper/lazy-read.ts";
import { relationshipOrdering } from "../mapper/join-columns.ts";
import { Ordering } from "../../core/sql/column-element.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";

/**
 * `lazy: "write_only"` (SQLAlchemy's `WriteOnlyCollection`): a collection that is never loaded
 * implicitly. `add()` and `remove()` are written by the next flush (the child's foreign key is set
 * or cleared, or an association row inserted or deleted); reading goes through an explicit query:
 * `await session.scalars(user.posts.select())`.
 *
 * In memory the relationship holds only the pending additions; removals are recorded as the
 * collection's previous contents, which is what the unit of work compares.
 */
export class WriteOnlyCollection<T extends object = object> {
  readonly #state: InstanceState;
  readonly #property: RelationshipProperty;

  constructor(state: InstanceState, property: RelationshipProperty) {
    this.#state = state;
    this.#property = property;
  }

  /** Adds `item` (cascading it into the session at the next flush). */
  add(item: T): void {
    const pending = this.#pending();
    if (pending.includes(item)) return;
    this.#state.set(this.#property.slot, trackedList([...pending, item], this.#state, this.#property));
  }

  addAll(items: Iterable<T>): void {
    for (const item of items) this.add(item);
  }

  /** Removes `item`: its foreign key is set to NULL (or it is deleted with delete-orphan) at the next flush. */
  remove(item: T): void {
    const state = this.#state;
    const slot = this.#property.slot;
    const pending = this.#pending();
    const kept = pending.filter((x) => x !== item);
    state.set(slot, trackedList(kept, state, this.#property));
    // The unit of work removes what was in the previous contents and is not in the current ones.
    const previous = state.committed?.get(slot);
    if (state.committed !== undefined) {
      const before = Array.isArray(previous) ? previous : [];
      if (!before.includes(item)) state.committed.set(slot, [...before, item]);
    }
  }

  /** `SELECT target.* FROM target WHERE target.fk = <this parent's key>` (plus the relationship's order). */
  select(): EntitySelect<[T]> {
    const join = this.#property.join;
    const target = join.target as Mapper;
    const values = localValues(this.#state, this.#property);
    if (values.includes(UNLOADED) || values.includes(null)) {
      throw new InvalidRequestError(`${this.#property.path}.select() needs the parent's key: flush ${this.#state.mapper.describe(this.#state)} first`);
    }
    const criteria: Expression<boolean>[] = join.pairs.map((p, i) => p.remote.eq(values[i] as never));
    let statement = select((target.modelClass ?? target.base) as never) as unknown as EntitySelect<[T]>;
    if (join.secondary) {
      const on = and(...join.secondary.targetPairs.map((p) => p.remote.eq(p.local as never)));
      statement = statement.join(join.secondary.table, on);
    }
    const ordering = relationshipOrdering(this.#property, target.table.node);
    if (ordering.length > 0) statement = statement.orderBy(...ordering.map((node) => new Ordering(node)));
    return statement.where(...criteria);
  }

  #pending(): unknown[] {
    const value = this.#state.valueAt(this.#property.slot);
    return Array.isArray(value) ? value : [];
  }
}
