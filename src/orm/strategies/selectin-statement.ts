import type { ColumnElement } from "../../core/sql/column-element.ts";
import { bindparam } from "../../core/sql/elements.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { PostLoad } from "../loading/load-plan.ts";
import type { ChildQuery } from "../loading/loader-strategy.ts";
import { childQuery } from "./child-query.ts";
import { keysIn } from "./relationship-keys.ts";
import { setBounded } from "../../shared/bounded-map.ts";

/** Statements kept per relationship: one per path, key count and shape (the oldest dropped past this). */
const MAX_KEPT = 32;
const kept = new WeakMap<RelationshipProperty, Map<string, ChildQuery>>();
const mapperIds = new WeakMap<Mapper, number>();
let nextMapperId = 0;

/**
 * A selectin load's statement for one chunk of keys: `keysIn(keyColumns, keys)` as its WHERE,
 * `keyColumns` leading its columns when `leading`. The keys are named parameters, so a load
 * without options below it (the common case) builds, plans and extracts the statement once per
 * relationship, path and number of keys and binds each chunk's keys into it, as SQLAlchemy keeps
 * one cached selectin statement whose `IN` parameter expands per execution. The chunk's keys
 * travel in `params`; loads with options or criteria below them build their statement each time.
 */
export function selectinQuery(
  property: RelationshipProperty,
  keyColumns: readonly ColumnElement<unknown>[],
  leading: boolean,
  keys: readonly (readonly unknown[])[],
  below: PostLoad,
): ChildQuery {
  const reusable = (below.tree === undefined || below.tree.isEmpty) && below.criteria.length === 0;
  if (!reusable) return childQuery(property, leading ? keyColumns : [], keysIn(keyColumns, keys), below);
  const width = keyColumns.length;
  const cacheKey = `${leading ? "L" : "T"}${width}:${keys.length}:${below.path.map(mapperId).join(",")}`;
  let byShape = kept.get(property);
  if (byShape === undefined) kept.set(property, (byShape = new Map()));
  let query = byShape.get(cacheKey);
  if (query === undefined) {
    const placeholders = keys.map((_, row) => keyColumns.map((column, i) => bindparam(parameterName(row, i, width), column.type)));
    query = childQuery(property, leading ? keyColumns : [], keysIn(keyColumns, placeholders), below);
    setBounded(byShape, cacheKey, query, MAX_KEPT);
  }
  const params: Record<string, unknown> = {};
  for (let row = 0; row < keys.length; row++) {
    const values = keys[row] as readonly unknown[];
    for (let i = 0; i < width; i++) params[parameterName(row, i, width)] = values[i];
  }
  return { ...query, params };
}

/** The names of one-column keys, made once: `selectin_0`, `selectin_1` … */
const singleNames: string[] = [];

function parameterName(row: number, column: number, width: number): string {
  if (width > 1) return `selectin_${row}_${column}`;
  let name = singleNames[row];
  if (name === undefined) {
    for (let r = singleNames.length; r <= row; r++) singleNames.push(`selectin_${r}`);
    name = singleNames[row] as string;
  }
  return name;
}

function mapperId(mapper: Mapper): number {
  let id = mapperIds.get(mapper);
  if (id === undefined) mapperIds.set(mapper, (id = ++nextMapperId));
  return id;
}
