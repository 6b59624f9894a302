import { ArgumentError } from "../../shared/errors.ts";
import type { SqlType, TypeOf } from "../types/sql-type.ts";
import { NullType } from "../types/type-constructors.ts";
import { bindNode } from "./coercions.ts";
import { ColumnRef } from "./from-clause.ts";
import type { BindNode, RawColumnNode, TextNode } from "./nodes.ts";
import { inferType } from "./infer-type.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";

/** The JavaScript value a SQL type reads as. */

/**
 * Literal SQL, the escape hatch. `:name` marks a bound parameter (`\:` is a literal colon, and
 * `::` a PostgreSQL cast); values are always sent as parameters, never spliced into the text.
 *
 * ```ts
 * text("SELECT id FROM users WHERE name = :name").bindparams({ name: "ann" })
 * // SELECT id FROM users WHERE name = ?     params: ["ann"]
 * ```
 */
export class TextClause<R = Record<string, unknown>> {
  declare readonly __row: R;
  readonly node: TextNode;

  constructor(node: TextNode) {
    this.node = node;
  }

  /** Gives values (and optionally types) to the named parameters. */
  bindparams(values: Readonly<Record<string, unknown>>, types: Readonly<Record<string, SqlType<unknown>>> = {}): TextClause<R> {
    for (const key of Object.keys(values)) {
      if (!this.node.binds.some((b) => b.key === key)) throw new ArgumentError(`text() has no parameter ":${key}"`);
    }
    const binds = this.node.binds.map((b): BindNode => {
      const key = b.key as string;
      if (!(key in values)) return b;
      const value = values[key];
      return bindNode(value, types[key] ?? (b.type === NullType ? inferType(value) : b.type), key);
    });
    return new TextClause<R>(Object.freeze({ ...this.node, binds }));
  }

  /**
   * Declares the result columns of a textual query, in the order the SQL returns them: their keys,
   * the row type, and the result processing each column's type gets (so values come back the same
   * on every database). Give columns (`users.c.id`) or a record of types (SQLAlchemy's
   * `columns(id=Integer)`). The SQL is sent as written.
   *
   * ```ts
   * text("SELECT count(*) AS n, max(created_at) AS latest FROM posts").columns({ n: BigInteger, latest: DateTime() })
   * // SELECT count(*) AS n, max(created_at) AS latest FROM posts     rows: { n: 3n, latest: Date }
   * ```
   */
  columns<A extends readonly ColumnRef<unknown, string>[]>(...columns: A): TextClause<{ [C in A[number] as C["key"]]: C["__ts"] }>;
  columns<T extends Readonly<Record<string, SqlType<unknown>>>>(types: T): TextClause<{ [K in keyof T]: TypeOf<T[K]> | null }>;
  columns(...columns: readonly (ColumnRef<unknown, string> | Readonly<Record<string, SqlType<unknown>>>)[]): TextClause<unknown> {
    const [first] = columns;
    const raw: RawColumnNode[] =
      columns.length === 1 && first !== undefined && !(first instanceof ColumnRef)
        ? Object.entries(first).map(([key, type]) => ({ kind: "raw-column", sql: key, type }))
        : (columns as readonly ColumnRef<unknown, string>[]).map((c) => ({ kind: "raw-column", sql: c.key, type: c.type }));
    return new TextClause(Object.freeze({ ...this.node, columns: raw }));
  }

  /** The statement's SQL and parameters, for a dialect or generic; see `Select.compile()`. */
  compile(options?: CompileOptions): CompiledSql {
    return compileStatement(this.node, options);
  }

  /** The generic SQL with `:name` placeholders (`String(stmt)`, SQLAlchemy's `str(stmt)`). */
  toString(): string {
    return this.compile().sql;
  }
}

/**
 * A parameter, or a stretch the scan must step over whole: string literals and quoted identifiers
 * ("…" and MySQL's `…`), whose text may hold a colon that is not a parameter (a table named `:name`).
 */
const PARAMETER = /(\\:)|(::)|(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(`(?:[^`]|``)*`)/g;

export function text(sql: string): TextClause {
  const parts: string[] = [];
  const binds: BindNode[] = [];
  let current = "";
  let last = 0;
  for (const match of sql.matchAll(PARAMETER)) {
    current += sql.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[1]) current += ":";
    else if (match[3]) {
      parts.push(current);
      current = "";
      binds.push(bindNode(undefined, NullType, match[3]));
    } else current += match[0];
  }
  parts.push(current + sql.slice(last));
  return new TextClause(Object.freeze({ kind: "text", parts, binds, columns: [] }));
}
