import { ArgumentError } from "../../shared/errors.ts";
import type { CompoundSelectNode, FromNode, Node } from "../../core/sql/nodes.ts";
import { selectNode } from "../../core/sql/select-node.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import { ColumnRef } from "../../core/sql/from-clause.ts";
import { descendants, discriminatorCriterion, inlineSubclassColumns, isA } from "../mapper/inheritance.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";

type ModelClass = abstract new (...args: never[]) => object;

/** Where `withPolymorphic()` keeps what it names. */
export const WITH_POLYMORPHIC: unique symbol = Symbol.for("tsalchemy.withPolymorphic");

/** The select argument `withPolymorphic()` returns: the base entity, loading the named subclasses' columns too. */
export type PolymorphicEntity<C extends ModelClass, Subs extends readonly ModelClass[] = readonly []> = {
  readonly [WITH_POLYMORPHIC]: PolymorphicSelection;
  /** Phantom: the instances its rows hold — the base or one of the named subclasses. */
  readonly __entity: InstanceType<C> | InstanceType<Subs[number]>;
} & ColumnStatics<C>;

/** The base class's column attributes: of the UNION ALL for concrete classes (`wp.name`), else the class's own. */
type ColumnStatics<C> = { readonly [K in keyof C as C[K] extends ColumnRef<unknown, string> ? K : never]: C[K] };

/** What `withPolymorphic()` selects: the base, the subclasses, and (concrete classes) the UNION ALL it reads. */
interface PolymorphicSelection {
  readonly mapper: Mapper;
  readonly classes: readonly Mapper[];
  readonly shape?: EntityShape;
}

/**
 * The base class of an inheritance hierarchy as a select argument that loads the named subclasses'
 * own columns in the same statement (rows typed as the union of the base and those classes) (SQLAlchemy's `with_polymorphic`): their tables LEFT OUTER
 * JOINed on the key (joined-table inheritance). `"*"` names every subclass.
 *
 * ```ts
 * await session.scalars(select(withPolymorphic(Employee, [Manager, Engineer])));
 * // SELECT employees.id, employees.name, employees.type, managers.manager_name, engineers.engineer_info
 * // FROM employees LEFT OUTER JOIN managers ON managers.id = employees.id
 * //   LEFT OUTER JOIN engineers ON engineers.id = employees.id
 * ```
 */
export function withPolymorphic<C extends ModelClass>(base: C, classes: "*"): PolymorphicEntity<C>;
export function withPolymorphic<C extends ModelClass, const Subs extends readonly ModelClass[]>(base: C, classes: Subs): PolymorphicEntity<C, Subs>;
export function withPolymorphic(base: ModelClass, classes: readonly ModelClass[] | "*"): PolymorphicEntity<ModelClass, readonly ModelClass[]> {
  const mapper = mapperOfClass(base);
  if (mapper === undefined) throw new ArgumentError(`withPolymorphic(): ${base.name} is not a mapped class`);
  mapper.ensureRegistered(base);
  const subs =
    classes === "*"
      ? (descendants(mapper) as Mapper[])
      : classes.map((cls) => {
          const sub = mapperOfClass(cls);
          if (sub === undefined || sub === mapper || !isA(sub, mapper)) throw new ArgumentError(`withPolymorphic(): ${cls.name} is not a subclass of ${base.name}`);
          sub.ensureRegistered(cls);
          return sub;
        });
  const entity: Record<string | symbol, unknown> = {};
  const union = subs.some((c) => c.inheritance?.kind === "concrete") ? polymorphicUnion(mapper, subs) : undefined;
  if (union !== undefined) {
    // Criteria name the union's columns: `select(wp).where(wp.name.eq("bob"))`.
    for (const c of union.columns) entity[c.key] = new ColumnRef(c.key, c.column.name, c.column.type, union.owner);
  } else {
    for (const c of mapper.columns) entity[c.key] = c.column;
  }
  entity[WITH_POLYMORPHIC] = Object.freeze({ mapper, classes: subs, ...(union === undefined ? {} : { shape: union }) });
  return Object.freeze(entity) as unknown as PolymorphicEntity<ModelClass, readonly ModelClass[]>;
}

/** What `withPolymorphic()` names, if `arg` is one. */
export function polymorphicEntityOf(arg: unknown): PolymorphicSelection | undefined {
  return typeof arg === "object" && arg !== null ? (arg as { [WITH_POLYMORPHIC]?: PolymorphicSelection })[WITH_POLYMORPHIC] : undefined;
}

/** How a select reads an entity of an inheritance hierarchy: its columns, its FROM (tables joined on the key) and its discriminator criterion. */
export interface EntityShape {
  readonly columns: readonly ColumnProperty[];
  readonly from: FromNode | undefined;
  readonly where: Node | undefined;
  /** The FROM item the columns are read from when it is not their tables (a concrete hierarchy's UNION ALL). */
  readonly owner?: FromNode;
}

/**
 * The shape of `select(mapper)`: the class's columns and its single-table subclasses' (same
 * table); a joined subclass's tables INNER JOINed to its parent's; the subclasses `classes` (or
 * declared `polymorphicLoad: "inline"`) LEFT OUTER JOINed with their columns; and for a
 * single-table subclass, `discriminator IN (its values)`.
 */
export function entityShape(mapper: Mapper, classes: readonly Mapper[] = []): EntityShape {
  const inheritance = mapper.inheritance;
  if (inheritance === undefined) return { columns: mapper.columns.filter((c) => !c.deferred), from: undefined, where: undefined };
  if (classes.some((c) => c.inheritance?.kind === "concrete")) return polymorphicUnion(mapper, classes);
  const columns = [...mapper.columns.filter((c) => !c.deferred), ...inlineSubclassColumns(mapper)];
  const seen = new Set(columns);
  const tables = new Set(inheritance.tables);
  let from = inheritance.from;
  for (const sub of descendants(mapper) as Mapper[]) {
    if ((!classes.includes(sub) && sub.inheritance?.polymorphicLoad !== "inline") || sub.inheritance?.kind === "concrete") continue;
    for (const table of sub.inheritance?.tables ?? []) {
      if (tables.has(table)) continue;
      tables.add(table);
      const keys = sub.inheritance?.tableColumns.get(table)?.filter((c) => c.column.primaryKey) ?? [];
      const on = andNodes(keys.map((k, i) => binaryEq(k.column.node, (mapper.primaryKey[i] as ColumnProperty).column.node)));
      from = Object.freeze({ kind: "join", left: from, right: table.node, on, type: "LEFT OUTER" });
    }
    for (const c of sub.columns) {
      if (c.deferred || seen.has(c)) continue;
      seen.add(c);
      columns.push(c);
    }
  }
  return { columns, from: from === mapper.table.node ? undefined : from, where: discriminatorCriterion(mapper) };
}

function binaryEq(left: Node, right: Node): Node {
  return Object.freeze({ kind: "binary", operator: "=", left, right });
}

function andNodes(clauses: readonly Node[]): Node {
  return clauses.length === 1 ? (clauses[0] as Node) : Object.freeze({ kind: "clause-list", operator: "AND", clauses });
}

/**
 * A concrete hierarchy read as one (SQLAlchemy's `polymorphic_union`): `(SELECT … FROM employees
 * UNION ALL SELECT … FROM managers …) AS pjoin`, each branch giving every attribute of the classes
 * by the base's column name, `CAST(NULL AS <type>)` where its class has no such column.
 */
function polymorphicUnion(mapper: Mapper, classes: readonly Mapper[]): EntityShape {
  const members = [mapper, ...classes.filter((c) => c !== mapper)];
  const columns: ColumnProperty[] = [];
  const keys = new Set<string>();
  for (const m of members) {
    for (const c of m.columns) {
      if (c.deferred || keys.has(c.key)) continue;
      keys.add(c.key);
      columns.push(c);
    }
  }
  const selects = members.map((m) => {
    const items: Node[] = columns.map((c) => {
      const own = m.property(c.key);
      const element: Node =
        own?.kind === "column" ? own.column.node : Object.freeze({ kind: "cast", operand: Object.freeze({ kind: "null" }), type: c.column.type });
      return Object.freeze({ kind: "label", name: c.column.name, element });
    });
    return selectNode({ columns: items, columnKeys: columns.map((c) => c.column.name), from: [m.table.node] });
  });
  const union: CompoundSelectNode = Object.freeze({ kind: "compound-select", operator: "UNION ALL", selects, orderBy: [], limit: undefined, offset: undefined, ctes: [] });
  const owner: FromNode = Object.freeze({ kind: "subquery", query: union, name: "pjoin" });
  return { columns, from: owner, where: undefined, owner };
}
