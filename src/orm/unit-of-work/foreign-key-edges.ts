import type { TableColumn } from "../../core/schema/column.ts";
import type { Table } from "../../core/schema/table.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { slotOf } from "../mapper/lazy-read.ts";
import { fkPairs } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";

/** One foreign key of a mapper's table: local slots, and the referenced table's primary key order. */
interface ForeignKeyPath {
  readonly referencedTable: Table;
  /** For each primary key column of the referenced table, the local column's slot that holds it. */
  readonly slotsByTargetPk: (targetPk: readonly TableColumn<unknown>[]) => number[] | undefined;
}

const pathsCache = new WeakMap<Mapper, readonly ForeignKeyPath[]>();

function pathsOf(mapper: Mapper): readonly ForeignKeyPath[] {
  let paths = pathsCache.get(mapper);
  if (paths === undefined) {
    const table = mapper.table;
    paths = table.foreignKeys.map((fk) => {
      const pairs = fkPairs(fk, table);
      return {
        referencedTable: table.metadata.referencedTable(fk),
        slotsByTargetPk: (targetPk) => {
          const slots: number[] = [];
          for (const pk of targetPk) {
            const pair = pairs.find((p) => p.referenced === pk);
            const slot = pair && slotOf(mapper, pair.referencing);
            if (slot === undefined) return undefined;
            slots.push(slot);
          }
          return slots;
        },
      };
    });
    pathsCache.set(mapper, paths);
  }
  return paths;
}

/**
 * Row dependencies read from foreign key column values: `[parent, dependent]` when `dependent`'s
 * row references `parent`'s primary key. This sees what objects in memory may not show: an
 * unloaded many-to-one, a foreign key assigned by hand, a table mapped without the relationship.
 */
export function foreignKeyEdges(
  referencing: Iterable<InstanceState>,
  referenced: Iterable<InstanceState>,
  valueOf: (state: InstanceState, slot: number) => unknown,
  keyOf: (state: InstanceState) => string | undefined,
): [parent: InstanceState, dependent: InstanceState][] {
  // Only rows of a table the referencing rows' foreign keys point to can be parents: the keys of
  // the others are not built (a flush of 1,000 new users referencing organizations builds none).
  const targets = new Set<Table>();
  const mappers = new Set<Mapper>();
  for (const state of referencing) {
    const mapper = state.mapper as Mapper;
    if (mappers.has(mapper)) continue;
    mappers.add(mapper);
    for (const path of pathsOf(mapper)) targets.add(path.referencedTable);
  }
  const edges: [InstanceState, InstanceState][] = [];
  if (targets.size === 0) return edges;
  const byKey = new Map<string, InstanceState>();
  const mapperOfTable = new Map<Table, Mapper>();
  for (const state of referenced) {
    if (!targets.has((state.mapper as Mapper).table)) continue;
    const key = keyOf(state);
    if (key === undefined) continue;
    byKey.set(key, state);
    mapperOfTable.set((state.mapper as Mapper).table, state.mapper as Mapper);
  }
  if (byKey.size === 0) return edges;
  for (const state of referencing) {
    for (const path of pathsOf(state.mapper as Mapper)) {
      const target = mapperOfTable.get(path.referencedTable);
      if (target === undefined) continue;
      const slots = path.slotsByTargetPk(target.primaryKey.map((c) => c.column));
      if (slots === undefined) continue;
      const values = slots.map((slot) => valueOf(state, slot));
      if (values.some((v) => v === null || v === undefined || v === UNLOADED)) continue;
      const parent = byKey.get(target.identityKey(values));
      if (parent !== undefined && parent !== state) edges.push([parent, state]);
    }
  }
  return edges;
}
