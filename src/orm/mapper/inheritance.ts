import { ArgumentError } from "../../shared/errors.ts";
import type { Table } from "../../core/schema/table.ts";
import type { FromNode, Node } from "../../core/sql/nodes.ts";
import { ColumnProperty } from "./column-property.ts";

/** How a subclass's rows are stored (SQLAlchemy's three inheritance patterns). */
export type InheritanceKind = "single" | "joined" | "concrete";

/** How querying a base class loads a subclass's own columns (SQLAlchemy's `polymorphic_load`). */
export type PolymorphicLoad = "inline" | "selectin";

/** The part of a mapper an inheritance hierarchy looks at (kept structural to avoid a cycle with mapper.ts). */
export interface InheritingMapper {
  readonly className: string;
  readonly table: Table;
  readonly columns: readonly ColumnProperty[];
  readonly inheritance: Inheritance | undefined;
}

/**
 * A mapper's place in an inheritance hierarchy: its parent, its subclasses, the discriminator and
 * its value, and (joined-table) the tables its rows span. A mapper without inheritance has none,
 * so the hot paths test one field and move on.
 */
export class Inheritance {
  /** `null` for the base of the hierarchy. */
  readonly kind: InheritanceKind | null;
  readonly parent: InheritingMapper | undefined;
  readonly root: InheritingMapper;
  /** The discriminator column (the base's `polymorphicOn`), if the hierarchy has one. */
  readonly polymorphicOn: ColumnProperty | undefined;
  readonly identity: unknown;
  readonly polymorphicLoad: PolymorphicLoad | undefined;
  /** Direct subclasses, in declaration order. */
  readonly subclasses: InheritingMapper[] = [];
  /** Discriminator value → mapper, for the whole hierarchy (shared with the root). */
  readonly polymorphicMap: Map<unknown, InheritingMapper>;
  /** The tables of a row, base first (one for single-table inheritance). */
  readonly tables: readonly Table[];
  /** Per table, the columns it stores, each as a property on that table (a joined subclass's key columns on its own table). */
  readonly tableColumns: ReadonlyMap<Table, readonly ColumnProperty[]>;
  /** The FROM of a select of this class: its table, or the base joined to each subclass table on the key. */
  readonly from: FromNode;

  constructor(init: {
    kind: InheritanceKind | null;
    parent: InheritingMapper | undefined;
    root: InheritingMapper;
    polymorphicOn: ColumnProperty | undefined;
    identity: unknown;
    polymorphicLoad: PolymorphicLoad | undefined;
    polymorphicMap: Map<unknown, InheritingMapper>;
    tables: readonly Table[];
    tableColumns: ReadonlyMap<Table, readonly ColumnProperty[]>;
    from: FromNode;
  }) {
    this.kind = init.kind;
    this.parent = init.parent;
    this.root = init.root;
    this.polymorphicOn = init.polymorphicOn;
    this.identity = init.identity;
    this.polymorphicLoad = init.polymorphicLoad;
    this.polymorphicMap = init.polymorphicMap;
    this.tables = init.tables;
    this.tableColumns = init.tableColumns;
    this.from = init.from;
  }

  /** The discriminator values of this class and all its subclasses (the `type IN (…)` of a subclass query). */
  identities(self: InheritingMapper): unknown[] {
    const out: unknown[] = [];
    for (const [value, mapper] of this.polymorphicMap) if (isA(mapper, self)) out.push(value);
    return out;
  }
}

/** Whether `mapper` is `ancestor` or one of its subclasses. */
export function isA(mapper: InheritingMapper, ancestor: InheritingMapper): boolean {
  for (let m: InheritingMapper | undefined = mapper; m !== undefined; m = m.inheritance?.parent) if (m === ancestor) return true;
  return false;
}

/** Every mapper below `mapper` (not itself), depth first. */
export function descendants(mapper: InheritingMapper): InheritingMapper[] {
  const out: InheritingMapper[] = [];
  for (const sub of mapper.inheritance?.subclasses ?? []) out.push(sub, ...descendants(sub));
  return out;
}

/**
 * The key columns of a joined subclass's table, each paired with the parent's key property of the
 * same attribute (`id: mappedColumn(Integer, ForeignKey("employees.id"), { primaryKey: true })`).
 */
export function inheritedKeyColumns(table: Table, parentKey: readonly ColumnProperty[], className: string): ColumnProperty[] {
  const own = table.primaryKey;
  if (own.length !== parentKey.length) {
    throw new ArgumentError(
      `${className}: the table "${table.name}" of a joined-table subclass needs a primary key of the same attributes as its parent's (${parentKey.map((c) => c.key).join(", ")}), each a foreign key to it`,
    );
  }
  return parentKey.map((p) => {
    const column = own.find((c) => c.key === p.key);
    if (column === undefined) {
      throw new ArgumentError(`${className}: the table "${table.name}" must declare the key attribute "${p.key}" (a foreign key to its parent's table)`);
    }
    return new ColumnProperty(p.key, p.slot, column, false);
  });
}

/** `left JOIN right ON right.key = left.key` for each key column pair. */
export function inheritJoin(left: FromNode, right: Table, rightKeys: readonly ColumnProperty[], leftKeys: readonly ColumnProperty[]): FromNode {
  const clauses: Node[] = rightKeys.map((r, i) =>
    Object.freeze({ kind: "binary", operator: "=", left: (leftKeys[i] as ColumnProperty).column.node, right: r.column.node }),
  );
  const on: Node = clauses.length === 1 ? (clauses[0] as Node) : Object.freeze({ kind: "clause-list", operator: "AND", clauses });
  return Object.freeze({ kind: "join", left, right: right.node, on, type: "INNER" });
}

/**
 * The own columns of the subclasses of `mapper` whose rows live in tables a select of `mapper`
 * already reads (single-table subclasses): a base query selects them inline, so each row's
 * instance comes complete whatever its class.
 */
export function inlineSubclassColumns(mapper: InheritingMapper): ColumnProperty[] {
  const inheritance = mapper.inheritance;
  if (inheritance === undefined) return [];
  const tables = new Set(inheritance.tables);
  const out: ColumnProperty[] = [];
  const seen = new Set<ColumnProperty>(mapper.columns);
  for (const sub of descendants(mapper)) {
    if (!(sub.inheritance as Inheritance).tables.every((t) => tables.has(t))) continue;
    for (const c of sub.columns) {
      if (seen.has(c) || c.deferred) continue;
      seen.add(c);
      out.push(c);
    }
  }
  return out;
}

/**
 * `discriminator IN (values of the class and its subclasses)` for a single-table subclass (its
 * rows share a table with other classes'); `undefined` for any other mapper.
 */
export function discriminatorCriterion(mapper: InheritingMapper): Node | undefined {
  const inheritance = mapper.inheritance;
  const on = inheritance?.polymorphicOn;
  if (inheritance === undefined || on === undefined || inheritance.parent === undefined || inheritance.kind !== "single") return undefined;
  const values = inheritance.identities(mapper).map((v) => (on.column.eq(v as never).node as { right: Node }).right);
  return Object.freeze({ kind: "in", left: on.column.node, values, negated: false });
}
