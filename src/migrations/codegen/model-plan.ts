import type { ReflectedForeignKeyConstraint } from "../../core/reflection/reflected.ts";
import type { CodegenTable } from "./codegen-schema.ts";
import { RESERVED_NAMES, camelCase, className, singular, uniqueName } from "./codegen-names.ts";

/** One relationship attribute the generator writes on a class. */
export interface PlannedRelationship {
  readonly key: string;
  /** The target class's name. */
  readonly target: string;
  /** A collection (`Target[]`) or a single object (`Target | null`). */
  readonly collection: boolean;
  /** The single object side of a one-to-one: `uselist: false`. */
  readonly uselistFalse: boolean;
  /** The foreign key is NOT NULL, so a many-to-one always has a target. */
  readonly required: boolean;
  readonly backPopulates?: string;
  /** Attribute keys of the foreign key columns (on the table holding them), when several keys link the two tables. */
  readonly foreignKeys?: readonly string[];
  /** Self-referential many-to-one: the referenced columns' attribute keys. */
  readonly remoteSide?: readonly string[];
  /** Many-to-many: the association table's name. */
  readonly secondary?: string;
}

/** A table as the generator writes it: a declarative class, or a Core `Table` (no primary key, or an association table). */
export interface PlannedTable {
  readonly table: CodegenTable;
  readonly kind: "class" | "table";
  /** The class name, or the `const` the Core table is assigned to. */
  readonly name: string;
  /** Column name → attribute key. */
  readonly keys: ReadonlyMap<string, string>;
  readonly relationships: PlannedRelationship[];
}

/**
 * Decides what the generated module declares (sqlacodegen's model and relationship inference):
 *
 * - a table with a primary key is a class; one without is a Core `Table`;
 * - an association table (exactly two foreign keys to two other class tables, every column part
 *   of one of them and of the primary key) is a Core `Table`, and both tables it links get a
 *   many-to-many collection with `secondary` (named after the other table);
 * - every other foreign key gives a many-to-one on its table (named after the column without its
 *   `_id`, or after the referred table's singular) and a one-to-many back (named after the referring table;
 *   a single object with `uselist: false` when the key's columns are unique), linked by
 *   `backPopulates`;
 * - self-referential keys get `remoteSide` on the many-to-one, and the collection is named
 *   `<name>Reverse`; several keys between two tables get `foreignKeys` on both sides and
 *   collections named `<table><Column>` (`postsAuthor`, `postsReviewer`).
 *
 * Names are unique per class: a relationship that meets a column's key or another
 * relationship gets a number.
 */
export function planModels(tables: readonly CodegenTable[]): PlannedTable[] {
  const classNames = new Set(RESERVED_NAMES);
  const variables = new Set(RESERVED_NAMES);
  const byName = new Map<string, PlannedTable>();
  const association = new Set(tables.filter((t) => isAssociation(t, tables)).map((t) => t.name));
  const planned = tables.map((table): PlannedTable => {
    const taken = new Set<string>();
    const keys = new Map(table.columns.map((c) => [c.name, uniqueName(camelCase(c.name), taken)]));
    const isClass = table.primaryKey.length > 0 && !association.has(table.name);
    const name = isClass ? uniqueName(className(table.name), classNames) : uniqueName(camelCase(table.name), variables);
    const plan: PlannedTable = { table, kind: isClass ? "class" : "table", name, keys, relationships: [] };
    byName.set(table.name, plan);
    return plan;
  });
  const taken = new Map(planned.map((p) => [p, new Set(p.keys.values())]));
  const claim = (owner: PlannedTable, wanted: string): string => uniqueName(wanted, taken.get(owner)!);

  for (const owner of planned) {
    if (owner.kind !== "class") continue;
    const links = owner.table.foreignKeys.filter((fk) => fk.referredSchema === null && byName.get(fk.referredTable)?.kind === "class");
    for (const fk of links) {
      const target = byName.get(fk.referredTable)!;
      const self = target === owner;
      const several = links.filter((other) => other.referredTable === fk.referredTable).length > 1;
      const fkKeys = fk.constrainedColumns.map((c) => owner.keys.get(c)!);
      const manyToOne = claim(owner, manyToOneName(fk));
      const unique = isUnique(owner.table, fk.constrainedColumns);
      const backWanted = self
        ? `${manyToOne}Reverse`
        : several
          ? camelCase(`${owner.table.name}_${fkQualifier(fk)}`)
          : unique
            ? camelCase(singular(owner.table.name))
            : camelCase(owner.table.name);
      const oneToMany = claim(target, backWanted);
      const required = fk.constrainedColumns.every((c) => owner.table.columns.find((col) => col.name === c)?.nullable === false);
      owner.relationships.push({
        key: manyToOne,
        target: target.name,
        collection: false,
        uselistFalse: false,
        required,
        backPopulates: oneToMany,
        ...(several ? { foreignKeys: fkKeys } : {}),
        ...(self ? { remoteSide: fk.referredColumns.map((c) => target.keys.get(c) ?? camelCase(c)) } : {}),
      });
      target.relationships.push({
        key: oneToMany,
        target: owner.name,
        collection: !unique,
        uselistFalse: unique,
        required: false,
        backPopulates: manyToOne,
        ...(several ? { foreignKeys: fkKeys } : {}),
      });
    }
  }

  for (const link of planned) {
    if (!association.has(link.table.name)) continue;
    const [left, right] = link.table.foreignKeys.map((fk) => byName.get(fk.referredTable)!) as [PlannedTable, PlannedTable];
    const leftKey = claim(left, camelCase(right.table.name));
    const rightKey = claim(right, camelCase(left.table.name));
    const common = { collection: true, uselistFalse: false, required: false, secondary: link.table.name };
    left.relationships.push({ key: leftKey, target: right.name, backPopulates: rightKey, ...common });
    right.relationships.push({ key: rightKey, target: left.name, backPopulates: leftKey, ...common });
  }
  return planned;
}

/** The key's columns without their `_id` (sqlacodegen's `strip_id_suffix`): `author_id` → `author`, `a_id_1` → `a_1`. */
function fkQualifier(fk: ReflectedForeignKeyConstraint): string {
  return fk.constrainedColumns.map((c) => c.replace(/_id(?=_|$)/gi, "")).join("_");
}

/** `author_id` → `author`; a column without `_id` names it after the referred table's singular (`org`). */
function manyToOneName(fk: ReflectedForeignKeyConstraint): string {
  const qualifier = fkQualifier(fk);
  const stripped = qualifier !== fk.constrainedColumns.join("_") && qualifier !== "";
  return camelCase(stripped ? qualifier : singular(fk.referredTable));
}

function isUnique(table: CodegenTable, columns: readonly string[]): boolean {
  const same = (other: readonly (string | null)[]): boolean =>
    other.length === columns.length && columns.every((c) => other.includes(c));
  return (
    same(table.primaryKey) ||
    table.uniqueConstraints.some((u) => same(u.columnNames)) ||
    table.indexes.some((i) => i.unique && same(i.columnNames))
  );
}

/** sqlacodegen's association table: two foreign keys to two different mapped tables, and nothing else. */
function isAssociation(table: CodegenTable, tables: readonly CodegenTable[]): boolean {
  if (table.foreignKeys.length !== 2 || table.primaryKey.length === 0) return false;
  const [a, b] = table.foreignKeys as [ReflectedForeignKeyConstraint, ReflectedForeignKeyConstraint];
  if (a.referredTable === b.referredTable || a.referredSchema !== null || b.referredSchema !== null) return false;
  const mapped = (name: string): boolean =>
    name !== table.name && tables.some((t) => t.name === name && t.primaryKey.length > 0);
  if (!mapped(a.referredTable) || !mapped(b.referredTable)) return false;
  const fkColumns = new Set([...a.constrainedColumns, ...b.constrainedColumns]);
  return table.columns.every((c) => fkColumns.has(c.name) && table.primaryKey.includes(c.name));
}
