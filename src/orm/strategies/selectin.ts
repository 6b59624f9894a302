import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Io } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { PostLoad } from "../loading/load-plan.ts";
import type { PostLoadContext, RelationshipPlanning, RunChildGroups } from "../loading/loader-strategy.ts";
import { setCollection } from "../loading/load-rows.ts";
import { type InstanceState, UNLOADED, mappedState } from "../state/instance-state.ts";
import { selectinQuery } from "./selectin-statement.ts";
import { PopulatingLoader } from "./populating-loader.ts";
import { columnOn, compareKeys, joinKey, localValues, slotOf } from "./relationship-keys.ts";

/** Parent keys per `IN` statement (SQLAlchemy's selectin chunk size). */
export const SELECTIN_BATCH = 500;

/**
 * `lazy: "selectin"` / `selectinload()`: after the parents load, one `IN` statement per 500 parent
 * keys. A many-to-one selects the targets by their primary key (distinct, sorted, non-NULL foreign
 * keys); a collection selects the children by their foreign key, with it as a leading column.
 */
export class SelectInLoader extends PopulatingLoader<"selectin"> {
  readonly name = "selectin";
  readonly eager = true;

  plan(planning: RelationshipPlanning): void {
    // As SQLAlchemy's: the child statements carry every option of the statement.
    planning.loadAfter(this, planning.tree);
  }

  postLoad(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Io<void> {
    return loadSelectin(post, parents, context);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: `1 per ${SELECTIN_BATCH} parents`, addsStatements: 1 };
  }
}

function* loadSelectin(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Io<void> {
  const join = post.property.join;
  if (!join.secondary && join.direction === "many-to-one" && join.useGet) yield* viaChild(post, parents, context);
  else yield* viaParent(post, parents, context.runChildGroups);
}

/** Many-to-one: `SELECT target.* FROM target WHERE target.pk IN (…)`. */
function* viaChild(post: PostLoad, parents: readonly InstanceState[], { runChild, runChildGroups }: PostLoadContext): Io<void> {
  const property = post.property;
  const target = property.join.target as Mapper;
  const byKey = new Map<unknown, { values: unknown[]; states: InstanceState[] }>();
  for (const state of parents) {
    const values = localValues(state, property);
    if (values.includes(UNLOADED)) return yield* viaParent(post, parents, runChildGroups);
    if (values.some((v) => v === null)) {
      state.storeAt(property.slot, null);
      continue;
    }
    const key = joinKey(values);
    const entry = byKey.get(key);
    if (entry) entry.states.push(state);
    else byKey.set(key, { values, states: [state] });
  }
  const keys = [...byKey.values()].sort((a, b) => compareKeys(a.values, b.values));
  const remote = property.join.pairs.map((p) => p.remote as ColumnElement<unknown>);
  for (let i = 0; i < keys.length; i += SELECTIN_BATCH) {
    const chunk = keys.slice(i, i + SELECTIN_BATCH);
    const rows = yield* runChild(selectinQuery(property, remote, false, chunk.map((k) => k.values), post));
    const found = new Map<unknown, unknown>();
    for (const [object] of rows) {
      const state = mappedState(object as object);
      found.set(joinKey(property.join.pairs.map((p) => state.valueAt(slotOf(target, p.remote) as number))), object);
    }
    for (const { values, states } of chunk) {
      const item = found.get(joinKey(values)) ?? null;
      for (const state of states) state.storeAt(property.slot, item);
    }
  }
}

/** Collections (and many-to-many): `SELECT child.fk, child.* FROM child WHERE child.fk IN (…)`. */
function* viaParent(post: PostLoad, parents: readonly InstanceState[], runChildGroups: RunChildGroups): Io<void> {
  const property = post.property;
  const join = property.join;
  const keyColumns = join.pairs.map((p) => (join.secondary ? columnOn(join.secondary.table.node, p.remote) : p.remote) as ColumnElement<unknown>);
  const withKeys = parents.map((state) => ({ state, values: localValues(state, property) }));
  for (let i = 0; i < withKeys.length; i += SELECTIN_BATCH) {
    const chunk = withKeys.slice(i, i + SELECTIN_BATCH);
    const distinct = new Map<unknown, unknown[]>();
    for (const { values } of chunk) if (!values.includes(null)) distinct.set(joinKey(values), values);
    let groups = new Map<unknown, unknown[]>();
    if (distinct.size > 0) {
      groups = yield* runChildGroups(selectinQuery(property, keyColumns, true, [...distinct.values()], post));
    }
    for (const { state, values } of chunk) {
      const items = groups.get(joinKey(values)) ?? [];
      if (join.uselist) setCollection(state, property, items);
      else state.storeAt(property.slot, items[0] ?? null);
    }
  }
}
