import { ArgumentError, InvalidRequestError, NotSupportedFeatureError } from "../../shared/errors.ts";
import { standardCastTypeName } from "./cast-type-name.ts";
import { functionName, quoteIdentifier } from "./identifiers.ts";
import type {
  BinaryNode,
  CompoundSelectNode,
  CteNode,
  DeleteNode,
  FromNode,
  InsertNode,
  JsonPathNode,
  Node,
  NodeKind,
  OnConflict,
  OrderingNode,
  SelectNode,
  StatementNode,
  TextNode,
  UpdateNode,
} from "../sql/nodes.ts";
import { firstSelect } from "../sql/query-from-clause.ts";
import { type ResultColumn, resultColumnsOf, typeOfNode } from "../sql/result-columns.ts";
import type { SqlType } from "../types/sql-type.ts";
import type { DialectCapabilities } from "../dialects/dialect.ts";
import { type ExtractedStatement, extractStatement } from "./cache-key.ts";
import type { CompiledStatement } from "./compiled-statement.ts";
import { fromListOf } from "./from-list.ts";
import { postgresqlJsonPath } from "./json-path-sql.ts";
import { resultColumnsOfStatement, returnsRows } from "./statement-results.ts";
import { setBounded } from "../../shared/bounded-map.ts";

/** Placeholders are written as markers first and numbered in text order at the end. */
const MARK = "\u0000";
const MARKER = /\u0000(\d+)\u0000/g;

/** Per-compilation state: the slots being numbered, the CTEs met, the enclosing FROM scopes. */
interface CompileState {
  readonly extracted: ExtractedStatement;
  readonly ctes: Map<string, { node: CteNode; sql: string }>;
  /** FROM items of the enclosing queries, innermost last: what a subquery may correlate to. */
  readonly scopes: FromNode[][];
}

type Visitors = { readonly [K in NodeKind]: (node: Extract<Node, { kind: K }>, state: CompileState) => string };

/**
 * The one SQL compiler: a visitor from the node tree to SQL text plus ordered parameters.
 * Dialects subclass it and override the small `protected` hooks (quoting, placeholders, LIMIT,
 * booleans, upserts …), never whole statements. Compiled statements are cached by structure.
 */
export class SqlCompiler {
  readonly capabilities: DialectCapabilities;
  readonly #cache = new Map<string, CompiledStatement>();
  readonly #cacheSize: number;
  readonly #visitors: Visitors;

  constructor(capabilities: DialectCapabilities, options: { cacheSize?: number } = {}) {
    this.capabilities = capabilities;
    this.#cacheSize = options.cacheSize ?? 500;
    this.#visitors = this.#makeVisitors();
  }

  /**
   * Compiles a statement, or returns the cached compilation of one built the same way. The
   * extracted values come back with it: `compiled.slotOrder` says which value fills which placeholder.
   * With `placeholder` (display: `statement.compile()`), placeholder n is written as `placeholder(n)`, uncached.
   */
  compile(statement: StatementNode, placeholder?: (n: number) => string): { compiled: CompiledStatement; extracted: ExtractedStatement } {
    const extracted = extractStatement(statement);
    if (placeholder !== undefined) return { compiled: this.#compileFresh(statement, extracted, placeholder), extracted };
    let compiled = this.#cache.get(extracted.key);
    if (compiled === undefined) {
      compiled = this.#compileFresh(statement, extracted);
      setBounded(this.#cache, extracted.key, compiled, this.#cacheSize);
    }
    return { compiled, extracted };
  }

  /** How many compiled statements the cache holds (for tests and diagnostics). */
  get cacheSize(): number {
    return this.#cache.size;
  }

  #compileFresh(statement: StatementNode, extracted: ExtractedStatement, placeholder = (n: number) => this.placeholder(n)): CompiledStatement {
    const state: CompileState = { extracted, ctes: new Map(), scopes: [] };
    let body = this.visit(statement, state);
    if (state.ctes.size > 0) {
      const recursive = [...state.ctes.values()].some((c) => c.node.recursive);
      const list = [...state.ctes.values()].map((c) => `${this.quote(c.node.name)} AS (${c.sql})`).join(", ");
      body = `WITH ${recursive ? "RECURSIVE " : ""}${list} ${body}`;
    }
    const slotOrder: number[] = [];
    let count = 0;
    const sql = body.replace(MARKER, (_m, index: string) => {
      slotOrder.push(Number(index));
      return placeholder(++count);
    });
    const slots = extracted.slots;
    return Object.freeze({
      sql,
      slotOrder,
      paramTypes: slotOrder.map((i) => (slots[i] as { type: SqlType<unknown> }).type),
      paramKeys: slotOrder.map((i) => {
        const slot = slots[i];
        return slot?.kind === "bind" ? slot.key : undefined;
      }),
      resultColumns: resultColumnsOfStatement(statement),
      returnsRows: returnsRows(statement),
    });
  }

  /** Renders one node. */
  protected visit(node: Node, state: CompileState): string {
    const visitor = this.#visitors[node.kind] as (node: Node, state: CompileState) => string;
    return visitor(node, state);
  }

  // ---- hooks a dialect overrides -------------------------------------------------------------

  /** Quotes an identifier: always, so reserved words and odd names are safe. */
  quote(identifier: string): string {
    return quoteIdentifier(identifier, '"');
  }

  /** The placeholder for the n-th parameter (1-based). */
  placeholder(_n: number): string {
    return "?";
  }

  protected renderBoolean(value: boolean): string {
    return value ? "true" : "false";
  }

  protected renderLimitOffset(limit: string | undefined, offset: string | undefined): string {
    let sql = "";
    if (limit !== undefined) sql += ` LIMIT ${limit}`;
    if (offset !== undefined) sql += ` OFFSET ${offset}`;
    return sql;
  }

  /** Case-insensitive LIKE where the database has no ILIKE: compare lower-cased. */
  protected renderIlike(operand: string, pattern: string, negated: boolean, escape: string): string {
    return `lower(${operand}) ${negated ? "NOT LIKE" : "LIKE"} lower(${pattern})${escape}`;
  }

  protected renderConcat(left: string, right: string): string {
    return `${left} || ${right}`;
  }

  /** NULLS FIRST / LAST; dialects without it emulate with an extra sort key. */
  protected renderNullsOrdering(element: string, direction: string, nulls: "FIRST" | "LAST"): string {
    return `${element}${direction} NULLS ${nulls}`;
  }

  protected renderForUpdate(node: SelectNode, state: CompileState): string {
    const lock = node.forUpdate;
    if (!lock || !this.capabilities.rowLocking) return "";
    let sql = ` FOR ${lock.mode}`;
    if (lock.of.length > 0) sql += ` OF ${lock.of.map((f) => this.lockTargetName(f)).join(", ")}`;
    if (lock.nowait) sql += " NOWAIT";
    if (lock.skipLocked) sql += " SKIP LOCKED";
    void state;
    return sql;
  }

  protected renderOnConflict(conflict: OnConflict, state: CompileState): string {
    if (conflict.kind === "duplicate-key-update") {
      throw new NotSupportedFeatureError("ON DUPLICATE KEY UPDATE is MySQL's upsert; use onConflictDoUpdate() here");
    }
    const target = conflict.target.length > 0 ? ` (${conflict.target.map((c) => this.quote(c)).join(", ")})` : "";
    if (conflict.kind === "do-nothing") return ` ON CONFLICT${target} DO NOTHING`;
    if (conflict.target.length === 0) throw new ArgumentError("onConflictDoUpdate() needs indexElements");
    const set = conflict.set.map((a) => `${this.quote(a.column)} = ${this.visit(a.value, state)}`).join(", ");
    const where = conflict.where ? ` WHERE ${this.visit(conflict.where, state)}` : "";
    return ` ON CONFLICT${target} DO UPDATE SET ${set}${where}`;
  }

  protected renderExcluded(name: string): string {
    return `excluded.${this.quote(name)}`;
  }

  /** A string literal in SQL text (only for fixed fragments such as a LIKE escape character, never for values). */
  protected renderStringLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  /** `name(args…)`; dialects rename or replace functions they spell differently (SQLite's `now()`). */
  protected renderFunction(name: string, args: readonly string[]): string {
    if (name.toLowerCase() === "count" && args.length === 0) return "count(*)";
    return `${functionName(name, (n) => this.quote(n))}(${args.join(", ")})`;
  }

  /** `CAST(operand AS type)`. */
  protected renderCast(operand: string, type: SqlType<unknown>): string {
    return `CAST(${operand} AS ${this.castTypeName(type)})`;
  }

  /**
   * `a / b`. Division is true division, as in SQLAlchemy 2.0: where both sides are integers and
   * the database would truncate (PostgreSQL; SQLite overrides this), the divisor becomes NUMERIC.
   */
  protected renderDivision(left: string, right: string, integers: boolean): string {
    return integers ? `${left} / CAST(${right} AS NUMERIC)` : `${left} / ${right}`;
  }

  /** Null-safe comparison: `IS [NOT] DISTINCT FROM`. */
  protected renderDistinctFrom(left: string, right: string, negated: boolean): string {
    return `${left} ${negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM"} ${right}`;
  }

  /**
   * A placeholder in a position where nothing around it tells the database the value's type:
   * a bare value in a select list, both operands of an operator, the operand of unary minus or
   * IS NULL, the only argument of a function. Databases that type parameters on the server
   * (PostgreSQL) add a cast here; the others leave it bare.
   */
  renderUntypedBind(placeholder: string, _type: SqlType<unknown>): string {
    return placeholder;
  }

  /** How `FOR UPDATE OF` names a FROM item. */
  protected lockTargetName(from: FromNode): string {
    return this.fromName(from);
  }

  /** The type name used in CAST(… AS type); dialects override it for their own names. */
  protected castTypeName(type: SqlType<unknown>): string {
    return standardCastTypeName(type, (item) => this.castTypeName(item));
  }

  /** A JSON element or path: PostgreSQL's operators here (`->`, `->>`, `#>`, `#>>`); MySQL and SQLite use functions. */
  protected renderJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
    return postgresqlJsonPath(node, operand, elements);
  }

  /** The empty `IN ()`: SQLAlchemy's "empty set" expression, never true (or, negated, always true). */
  protected renderEmptyIn(left: string, negated: boolean): string {
    return negated ? `(${left} NOT IN (NULL) OR (1 = 1))` : `(${left} IN (NULL) AND (1 != 1))`;
  }

  /** The INSERT that gives every column its default (no VALUES). */
  protected renderDefaultValuesInsert(table: string): string {
    return `INSERT INTO ${table} DEFAULT VALUES`;
  }

  // ---- the visitor table ---------------------------------------------------------------------

  #makeVisitors(): Visitors {
    return {
      table: (n) => this.tableName(n.name, n.schema),
      column: (n) => (n.owner ? `${this.fromName(n.owner)}.${this.quote(n.name)}` : this.quote(n.name)),
      bind: (n, s) => this.#slot(n, s),
      "column-default": (n, s) => this.#slot(n, s),
      null: () => "NULL",
      boolean: (n) => this.renderBoolean(n.value),
      "raw-column": (n) => n.sql,
      "array-index": (n, s) => {
        const operand = this.visit(n.operand, s);
        return `${n.operand.kind === "column" ? operand : `(${operand})`}[${this.visit(n.index, s)}]`;
      },
      "any-all": (n, s) => `${n.quantifier} (${this.visit(n.operand, s)})`,
      "json-path": (n, s) => this.renderJsonPath(n, this.#operand(n.operand, s), n.elements.map((e) => this.visit(e, s))),
      binary: (n, s) => this.#binary(n, s),
      unary: (n, s) => {
        const untyped = n.operator === "-" || n.operator === "IS NULL" || n.operator === "IS NOT NULL";
        const operand = untyped && isValue(n.operand) ? this.#untyped(n.operand, s) : this.#operand(n.operand, s);
        switch (n.operator) {
          case "IS NULL":
          case "IS NOT NULL":
            return `${operand} ${n.operator}`;
          case "-":
            return `-${operand}`;
          default:
            return `${n.operator} ${operand}`;
        }
      },
      "clause-list": (n, s) => {
        if (n.operator === ",") return n.clauses.map((c) => this.visit(c, s)).join(", ");
        const within = n.operator;
        const parts = n.clauses.map((c) => this.#operand(c, s, within));
        return parts.join(` ${n.operator} `);
      },
      in: (n, s) => {
        const left = this.#operand(n.left, s);
        if (!Array.isArray(n.values)) {
          return `${left} ${n.negated ? "NOT IN" : "IN"} (${this.#subquery(n.values as SelectNode | CompoundSelectNode, s)})`;
        }
        const values = n.values as readonly Node[];
        if (values.length === 0) return this.renderEmptyIn(left, n.negated);
        return `${left} ${n.negated ? "NOT IN" : "IN"} (${values.map((v) => this.visit(v, s)).join(", ")})`;
      },
      between: (n, s) =>
        `${this.#operand(n.operand, s)} ${n.negated ? "NOT BETWEEN" : "BETWEEN"} ${this.#operand(n.lower, s)} AND ${this.#operand(n.upper, s)}`,
      like: (n, s) => {
        const operand = this.#operand(n.operand, s);
        const pattern = this.#operand(n.pattern, s);
        const escape = n.escape === undefined ? "" : ` ESCAPE ${this.renderStringLiteral(n.escape)}`;
        if (n.caseInsensitive) return this.renderIlike(operand, pattern, n.negated, escape);
        return `${operand} ${n.negated ? "NOT LIKE" : "LIKE"} ${pattern}${escape}`;
      },
      function: (n, s) => {
        // SQL's niladic functions take no parentheses (SQLite rejects `current_timestamp()`).
        if (n.args.length === 0 && NILADIC.has(n.name.toLowerCase())) return n.name.toUpperCase();
        const untyped = n.args.length === 1 && isValue(n.args[0] as Node);
        return this.renderFunction(n.name, n.args.map((a) => (untyped ? this.#untyped(a, s) : this.visit(a, s))));
      },
      cast: (n, s) => this.renderCast(this.visit(n.operand, s), n.type),
      case: (n, s) => {
        let sql = "CASE";
        if (n.value) sql += ` ${this.visit(n.value, s)}`;
        for (const [when, then] of n.whens) sql += ` WHEN ${this.visit(when, s)} THEN ${this.visit(then, s)}`;
        if (n.otherwise) sql += ` ELSE ${this.visit(n.otherwise, s)}`;
        return `${sql} END`;
      },
      label: (n, s) => this.visit(n.element, s),
      grouping: (n, s) => `(${this.visit(n.element, s)})`,
      ordering: (n, s) => this.#ordering(n, s),
      exists: (n, s) => `EXISTS (${this.#subquery(n.query, s)})`,
      "scalar-subquery": (n, s) => `(${this.#subquery(n.query, s)})`,
      subquery: (n, s) => `(${this.#query(n.query, { ...s, scopes: [] })}) AS ${this.quote(n.name)}`,
      cte: (n, s) => {
        this.#registerCte(n, s);
        return this.quote(n.name);
      },
      alias: (n) => `${this.tableName(n.element.name, n.element.schema)} AS ${this.quote(n.name)}`,
      join: (n, s) => {
        if (n.type === "FULL OUTER" && !this.capabilities.fullOuterJoin) {
          throw new NotSupportedFeatureError("FULL OUTER JOIN is not supported by this database");
        }
        // A join on the right is nested (an inner join kept inside an outer one): parenthesised.
        const right = n.right.kind === "join" ? `(${this.visit(n.right, s)})` : this.visit(n.right, s);
        return `${this.visit(n.left, s)} ${n.type === "INNER" ? "JOIN" : `${n.type} JOIN`} ${right} ON ${this.visit(n.on, s)}`;
      },
      star: (n) => (n.owner ? `${this.fromName(n.owner)}.*` : "*"),
      select: (n, s) => this.#select(n, s),
      "compound-select": (n, s) => this.#compound(n, s),
      insert: (n, s) => this.#insert(n, s),
      update: (n, s) => this.#update(n, s),
      delete: (n, s) => this.#delete(n, s),
      text: (n, s) => this.#text(n, s),
      excluded: (n) => this.renderExcluded(n.name),
    };
  }

  #slot(node: Node, state: CompileState): string {
    const index = state.extracted.indexOf.get(node);
    if (index === undefined) throw new InvalidRequestError("internal: a bound value was not extracted");
    return `${MARK}${index}${MARK}`;
  }

  protected tableName(name: string, schema: string | undefined): string {
    return schema === undefined ? this.quote(name) : `${this.quote(schema)}.${this.quote(name)}`;
  }

  /** How a FROM item is referred to from a column: its alias or name. */
  protected fromName(from: FromNode): string {
    switch (from.kind) {
      case "table":
        return this.tableName(from.name, from.schema);
      case "join":
        throw new ArgumentError("a column cannot belong to a join");
      default:
        return this.quote(from.name);
    }
  }

  /** An operand, parenthesised when it is itself a compound expression of lower precedence. */
  #operand(node: Node, state: CompileState, within?: "AND" | "OR"): string {
    const sql = this.visit(node, state);
    if (node.kind === "clause-list" && node.operator !== "," && node.operator !== within) return `(${sql})`;
    if (node.kind === "clause-list" && within === undefined) return `(${sql})`;
    if (node.kind === "binary" && within === undefined) return `(${sql})`;
    if (
      (node.kind === "in" || node.kind === "between" || node.kind === "like" || node.kind === "unary") &&
      within === undefined &&
      !(node.kind === "unary" && (node.operator === "-" || node.operator === "DISTINCT"))
    ) {
      return `(${sql})`;
    }
    if (node.kind === "select" || node.kind === "compound-select") return `(${sql})`;
    return sql;
  }

  #binary(node: BinaryNode, state: CompileState): string {
    const untyped = isValue(node.left) && isValue(node.right);
    // A chain of concatenations needs no parentheses (and on MySQL it nests concat() calls).
    const side = (n: Node): string =>
      untyped
        ? this.#untyped(n, state)
        : node.operator === "||" && n.kind === "binary" && n.operator === "||"
          ? this.visit(n, state)
          : this.#operand(n, state);
    const left = side(node.left);
    const right = side(node.right);
    switch (node.operator) {
      case "||":
        return this.renderConcat(left, right);
      case "IS DISTINCT FROM":
        return this.renderDistinctFrom(left, right, false);
      case "IS NOT DISTINCT FROM":
        return this.renderDistinctFrom(left, right, true);
      case "/":
        return this.renderDivision(left, right, isInteger(typeOfNode(node.left)) && isInteger(typeOfNode(node.right)));
      default:
        return `${left} ${node.operator} ${right}`;
    }
  }

  /** A bound value in a position that does not type it (see `renderUntypedBind`). */
  #untyped(node: Node, state: CompileState): string {
    const type = (node as { type: SqlType<unknown> }).type;
    return this.renderUntypedBind(this.#slot(node, state), type);
  }

  #ordering(node: OrderingNode, state: CompileState): string {
    return this.#orderingOf(this.visit(node.element, state), node);
  }

  #orderingOf(element: string, node: OrderingNode): string {
    const direction = node.direction ? ` ${node.direction}` : "";
    if (node.nulls) return this.renderNullsOrdering(element, direction, node.nulls);
    return `${element}${direction}`;
  }

  #registerCte(node: CteNode, state: CompileState): void {
    const existing = state.ctes.get(node.name);
    if (existing && (existing.node === node || !node.recursive || existing.node.recursive)) return;
    // Reserve the slot first so a recursive reference inside the body finds it.
    state.ctes.set(node.name, { node, sql: "" });
    const sql = this.#query(node.query, { ...state, scopes: [] });
    state.ctes.set(node.name, { node, sql });
  }

  /** A nested query that may correlate to the enclosing query's FROM items. */
  #subquery(query: SelectNode | CompoundSelectNode, state: CompileState): string {
    return this.#query(query, state);
  }

  #query(query: SelectNode | CompoundSelectNode, state: CompileState): string {
    return query.kind === "select" ? this.#select(query, state) : this.#compound(query, state);
  }

  #select(node: SelectNode, state: CompileState): string {
    const froms = fromListOf(node, state.scopes);
    const inner: CompileState = { ...state, scopes: [...state.scopes, froms] };
    const names = resultColumnsOf(node.columns, node.columnKeys);
    const columns = node.columns.map((col, i) => {
      const value = col.kind === "label" ? col.element : col;
      const sql = isValue(value) ? this.#untyped(value, inner) : this.visit(col, inner);
      const rc = names[i] as ResultColumn;
      return rc.labelled ? `${sql} AS ${this.quote(rc.name)}` : sql;
    });
    let sql = `SELECT ${node.distinct ? "DISTINCT " : ""}${columns.join(", ")}`;
    if (froms.length > 0) sql += ` FROM ${froms.map((f) => this.visit(f, inner)).join(", ")}`;
    if (node.where) sql += ` WHERE ${this.visit(node.where, inner)}`;
    if (node.groupBy.length > 0) sql += ` GROUP BY ${node.groupBy.map((g) => this.visit(g, inner)).join(", ")}`;
    if (node.having) sql += ` HAVING ${this.visit(node.having, inner)}`;
    if (node.orderBy.length > 0) sql += ` ORDER BY ${node.orderBy.map((o) => this.visit(o, inner)).join(", ")}`;
    sql += this.renderLimitOffset(
      node.limit && this.visit(node.limit, inner),
      node.offset && this.visit(node.offset, inner),
    );
    sql += this.renderForUpdate(node, inner);
    return sql;
  }

  #compound(node: CompoundSelectNode, state: CompileState): string {
    if ((node.operator.startsWith("EXCEPT") || node.operator.startsWith("INTERSECT")) && !this.capabilities.exceptIntersect) {
      throw new NotSupportedFeatureError(`${node.operator} is not supported by this database`);
    }
    const parts = node.selects.map((q) => {
      const sql = this.#query(q, state);
      const nested = q.kind === "compound-select" || q.orderBy.length > 0 || q.limit !== undefined || q.offset !== undefined;
      return nested ? this.wrapCompoundPart(sql) : sql;
    });
    let sql = parts.join(` ${node.operator} `);
    if (node.orderBy.length > 0) sql += ` ORDER BY ${this.#compoundOrderBy(node, state)}`;
    sql += this.renderLimitOffset(node.limit && this.visit(node.limit, state), node.offset && this.visit(node.offset, state));
    return sql;
  }

  /**
   * A compound's ORDER BY names result columns, not tables (`ORDER BY "id"`, as SQLAlchemy
   * renders it): a column or label of the first select sorts by its result name, any other
   * column by its bare name; other expressions render as they are.
   */
  #compoundOrderBy(node: CompoundSelectNode, state: CompileState): string {
    const first = firstSelect(node);
    const names = resultColumnsOf(first.columns, first.columnKeys);
    const byNode = new Map<Node, string>();
    first.columns.forEach((col, i) => {
      const name = (names[i] as ResultColumn).name;
      byNode.set(col, name);
      if (col.kind === "label" && !byNode.has(col.element)) byNode.set(col.element, name);
    });
    return node.orderBy
      .map((o) => {
        const e = o.element;
        const name = byNode.get(e) ?? (e.kind === "column" || e.kind === "label" ? e.name : undefined);
        return this.#orderingOf(name === undefined ? this.visit(e, state) : this.quote(name), o);
      })
      .join(", ");
  }

  /** A compound member with its own ORDER BY / LIMIT, or itself compound. SQLite needs a subselect. */
  protected wrapCompoundPart(sql: string): string {
    return `(${sql})`;
  }

  #insert(node: InsertNode, state: CompileState): string {
    const table = this.visit(node.table, state);
    let sql: string;
    if (node.fromSelect) {
      sql = `INSERT INTO ${table} (${node.columns.map((c) => this.quote(c)).join(", ")}) ${this.#query(node.fromSelect, { ...state, scopes: [] })}`;
    } else if (node.columns.length === 0) {
      sql = this.renderDefaultValuesInsert(table);
    } else {
      const rows = node.rows.map((row) => `(${row.map((v) => this.visit(v, state)).join(", ")})`);
      sql = `INSERT INTO ${table} (${node.columns.map((c) => this.quote(c)).join(", ")}) VALUES ${rows.join(", ")}`;
    }
    if (node.onConflict) sql += this.renderOnConflict(node.onConflict, state);
    if (node.returning.length > 0) sql += this.#returning(node.returning, node.returningKeys, "insertReturning", state);
    return sql;
  }

  #update(node: UpdateNode, state: CompileState): string {
    if (node.set.length === 0) throw new ArgumentError("update() needs values()");
    const inner: CompileState = { ...state, scopes: [[node.table]] };
    const set = node.set.map((a) => `${this.quote(a.column)}=${this.visit(a.value, inner)}`).join(", ");
    let sql = `UPDATE ${this.visit(node.table, inner)} SET ${set}`;
    if (node.where) sql += ` WHERE ${this.visit(node.where, inner)}`;
    if (node.returning.length > 0) sql += this.#returning(node.returning, node.returningKeys, "updateReturning", inner);
    return sql;
  }

  #delete(node: DeleteNode, state: CompileState): string {
    const inner: CompileState = { ...state, scopes: [[node.table]] };
    let sql = `DELETE FROM ${this.visit(node.table, inner)}`;
    if (node.where) sql += ` WHERE ${this.visit(node.where, inner)}`;
    if (node.returning.length > 0) sql += this.#returning(node.returning, node.returningKeys, "deleteReturning", inner);
    return sql;
  }

  #returning(
    nodes: readonly Node[],
    keys: readonly (string | undefined)[],
    capability: "insertReturning" | "updateReturning" | "deleteReturning",
    state: CompileState,
  ): string {
    if (!this.capabilities[capability]) {
      throw new NotSupportedFeatureError(`RETURNING is not supported here for this statement (${capability})`);
    }
    const names = resultColumnsOf(nodes, keys);
    const cols = nodes.map((n, i) => {
      const rc = names[i] as ResultColumn;
      const sql = this.visit(n, state);
      return rc.labelled ? `${sql} AS ${this.quote(rc.name)}` : sql;
    });
    return ` RETURNING ${cols.join(", ")}`;
  }

  #text(node: TextNode, state: CompileState): string {
    let sql = node.parts[0] ?? "";
    node.binds.forEach((b, i) => {
      sql += this.visit(b, state) + (node.parts[i + 1] ?? "");
    });
    return sql;
  }
}

/** ANSI functions written without parentheses, as SQLAlchemy's `func.current_timestamp()` renders them. */
const NILADIC = new Set(["current_timestamp", "current_date", "current_time", "localtime", "localtimestamp", "current_user", "session_user"]);

function isInteger(type: SqlType<unknown>): boolean {
  return type.kind === "integer" || type.kind === "smallint" || type.kind === "bigint";
}

/** A bound value or a client-side default: a placeholder whose type only the statement knows. */
function isValue(node: Node): boolean {
  return node.kind === "bind" || node.kind === "column-default";
}

export type { CompileState };
export { typeOfNode };
