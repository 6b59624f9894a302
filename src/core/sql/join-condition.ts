import { ArgumentError } from "../../shared/errors.ts";
import type { ColumnNode, FromNode, Node, TableNode } from "./nodes.ts";

/** One foreign key of a table, as the join inference needs it: local columns → remote columns. */
export interface ForeignKeyLink {
  readonly localColumns: readonly string[];
  readonly remoteTable: TableNode;
  readonly remoteColumns: readonly string[];
  readonly localTypes: readonly ColumnNode["type"][];
}

/**
 * Tables register how to find their foreign keys here (resolved lazily: the referenced table may
 * be declared later). Keeping the registry in `sql/` lets joins infer ON clauses without `sql/`
 * importing `schema/`.
 */
const foreignKeysByTable = new WeakMap<TableNode, () => readonly ForeignKeyLink[]>();

export function registerForeignKeys(table: TableNode, links: () => readonly ForeignKeyLink[]): void {
  foreignKeysByTable.set(table, links);
}

/**
 * The ON clause for `left JOIN right` when none is given: the one foreign key between them, in
 * either direction. SQLAlchemy's rules: no foreign key, or more than one, is an error.
 */
export function inferJoinCondition(left: FromNode, right: FromNode): Node {
  const candidates: Node[] = [];
  const rightTable = baseTable(right);
  for (const leftItem of tablesIn(left)) {
    const leftTable = baseTable(leftItem);
    if (!leftTable || !rightTable) continue;
    for (const link of linksOf(rightTable)) {
      if (link.remoteTable === leftTable) candidates.push(condition(right, link, leftItem));
    }
    for (const link of linksOf(leftTable)) {
      if (link.remoteTable === rightTable) candidates.push(condition(leftItem, link, right));
    }
  }
  const leftName = describe(left);
  const rightName = describe(right);
  if (candidates.length === 0) {
    throw new ArgumentError(
      `Can't find any foreign key relationships between '${leftName}' and '${rightName}'; pass the ON clause to join()`,
    );
  }
  if (candidates.length > 1) {
    throw new ArgumentError(
      `Can't determine join between '${leftName}' and '${rightName}'; tables have more than one foreign key ` +
        `constraint relationship between them. Please specify the ON clause of this join explicitly.`,
    );
  }
  return candidates[0] as Node;
}

function linksOf(table: TableNode): readonly ForeignKeyLink[] {
  return foreignKeysByTable.get(table)?.() ?? [];
}

function condition(local: FromNode, link: ForeignKeyLink, remote: FromNode): Node {
  const pairs: Node[] = link.localColumns.map((name, i) => ({
    kind: "binary",
    operator: "=",
    left: { kind: "column", owner: local, name, type: link.localTypes[i] },
    right: { kind: "column", owner: remote, name: link.remoteColumns[i] ?? name, type: link.localTypes[i] },
  }) as Node);
  return pairs.length === 1 ? (pairs[0] as Node) : { kind: "clause-list", operator: "AND", clauses: pairs };
}

function tablesIn(from: FromNode): FromNode[] {
  return from.kind === "join" ? [...tablesIn(from.left), ...tablesIn(from.right)] : [from];
}

function baseTable(from: FromNode): TableNode | undefined {
  if (from.kind === "table") return from;
  if (from.kind === "alias") return from.element;
  return undefined;
}

function describe(from: FromNode): string {
  switch (from.kind) {
    case "table":
      return from.name;
    case "join":
      return `Join object on ${describe(from.left)} and ${describe(from.right)}`;
    default:
      return from.name;
  }
}
