import type { SqlType } from "../types/sql-type.ts";
import type { Node } from "../sql/nodes.ts";

/** A value position in a statement: a bound value, or a default computed per execution. */
export type BindSlot =
  | { readonly kind: "bind"; readonly value: unknown; readonly type: SqlType<unknown>; readonly key: string | undefined }
  | { readonly kind: "column-default"; readonly compute: () => unknown; readonly type: SqlType<unknown> };

/** A client-side default's slot: computed anew for each execution. */
export type ColumnDefaultSlot = Extract<BindSlot, { kind: "column-default" }>;

/** A statement's structure as a string (values left out), and its values in walk order. */
export interface ExtractedStatement {
  readonly key: string;
  readonly slots: readonly BindSlot[];
  /** Each slot node's index in `slots`, for the compiler to number placeholders by. */
  readonly indexOf: ReadonlyMap<object, number>;
}

/**
 * The extraction of each statement already extracted: nodes are frozen, so the same node always
 * has the same key and the same bound slots, and running a kept statement again (a
 * `select(...).where(x.eq(bindparam("x")))`, the ORM's per-mapper `get()` query) skips the walk
 * over its tree (SQLAlchemy memoizes the cache key on the statement the same way).
 */
const extractions = new WeakMap<Node, ExtractedStatement>();

/**
 * Walks a statement tree once, writing its shape into a key and collecting its bound values.
 * Two statements built the same way get the same key whatever their values, so a compiled
 * statement can be reused with the new values (SQLAlchemy's cache key + extracted parameters).
 * A slot node met twice (a shared subtree) is recorded once and referenced, so sharing is part
 * of the shape too.
 */
export function extractStatement(root: Node): ExtractedStatement {
  let extracted = extractions.get(root);
  if (extracted === undefined) {
    extracted = extractFresh(root);
    extractions.set(root, extracted);
  }
  return extracted;
}

function extractFresh(root: Node): ExtractedStatement {
  const parts: string[] = [];
  const slots: BindSlot[] = [];
  const indexOf = new Map<object, number>();

  const visit = (value: unknown): void => {
    if (value === null || value === undefined) {
      parts.push("~");
      return;
    }
    switch (typeof value) {
      case "string":
        parts.push(JSON.stringify(value));
        return;
      case "number":
      case "boolean":
        parts.push(String(value));
        return;
      case "function":
        parts.push("fn");
        return;
      case "object":
        break;
      default:
        parts.push(typeof value);
        return;
    }
    if (Array.isArray(value)) {
      parts.push("[");
      for (const item of value) visit(item);
      parts.push("]");
      return;
    }
    const node = value as { kind?: unknown; cacheKey?: unknown };
    if (node.kind === "bind" || node.kind === "column-default") {
      const seen = indexOf.get(node);
      if (seen !== undefined) {
        parts.push(`@${seen}`);
        return;
      }
      const slot = node as BindSlot;
      indexOf.set(node, slots.length);
      slots.push(slot);
      const type = typeKey(slot.type);
      parts.push(slot.kind === "bind" && slot.key !== undefined ? `${type}:${slot.key}` : type);
      return;
    }
    if (typeof node.cacheKey === "string") {
      parts.push(node.cacheKey);
      return;
    }
    parts.push("{");
    for (const k in value) {
      parts.push(k);
      visit((value as Record<string, unknown>)[k]);
    }
    parts.push("}");
  };

  visit(root);
  return { key: parts.join(" "), slots, indexOf };
}

/** `?` and the type's cache key, per type: `SqlType.cacheKey` builds its string on each read. */
const typeKeys = new WeakMap<SqlType<unknown>, string>();

function typeKey(type: SqlType<unknown>): string {
  let key = typeKeys.get(type);
  if (key === undefined) typeKeys.set(type, (key = `?${type.cacheKey}`));
  return key;
}
