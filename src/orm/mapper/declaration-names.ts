import { ArgumentError } from "../../shared/errors.ts";
import type { Table } from "../../core/schema/table.ts";
import type { RelationshipOptions } from "../mapping/relationship.ts";

/** The target side of a relationship as the name check sees it. */
interface NamedTarget {
  readonly className: string;
  readonly table: Table;
  relationship(key: string): unknown;
}

/**
 * Checks the attribute names a relationship's options spell as strings, when the relationship is
 * configured (its target class known): `backPopulates` (a relationship of the target), `orderBy`
 * and `remoteSide` (columns of the target), `foreignKeys` (columns of the parent, target or
 * association table). TypeScript cannot check them at the declaration — the target's type is not
 * complete while the parent's class is being declared — so a misspelling is an `ArgumentError`
 * naming the attribute here, rather than an option silently ignored.
 */
export function checkDeclarationNames(path: string, options: RelationshipOptions, parent: Table, target: NamedTarget, secondary: Table | undefined): void {
  const hasColumn = (table: Table | undefined, key: string) => table?.column(key) !== undefined;
  const fail = (option: string, name: string, what: string) => {
    throw new ArgumentError(`${path}: ${option} names "${name}", which is not ${what}`);
  };
  if (options.backPopulates !== undefined && target.relationship(options.backPopulates) === undefined) {
    fail("backPopulates", options.backPopulates, `a relationship of ${target.className}`);
  }
  for (const entry of options.orderBy ?? []) {
    const key = entry.startsWith("-") ? entry.slice(1) : entry;
    if (!hasColumn(target.table, key)) fail("orderBy", entry, `a column of ${target.className}`);
  }
  for (const key of options.remoteSide ?? []) {
    if (!hasColumn(target.table, key)) fail("remoteSide", key, `a column of ${target.className}`);
  }
  for (const key of options.foreignKeys ?? []) {
    if (!hasColumn(parent, key) && !hasColumn(target.table, key) && !hasColumn(secondary, key)) {
      fail("foreignKeys", key, `a column of ${path.split(".")[0]}, ${target.className}${secondary ? ` or ${secondary.name}` : ""}`);
    }
  }
}
