import type { SqlType } from "../types/sql-type.ts";

/**
 * The SQL expression tree: frozen plain data, one `kind` tag per node. Builders and typed
 * wrappers produce these; the compiler and the cache-key walk consume them through exhaustive
 * tables keyed by `NodeKind`, so adding a kind fails compilation until every table handles it.
 */
export type Node =
  | TableNode
  | ColumnNode
  | BindNode
  | NullNode
  | BooleanLiteralNode
  | RawColumnNode
  | BinaryNode
  | UnaryNode
  | ClauseListNode
  | InListNode
  | BetweenNode
  | LikeNode
  | FunctionNode
  | CastNode
  | CaseNode
  | LabelNode
  | GroupingNode
  | OrderingNode
  | ExistsNode
  | ScalarSubqueryNode
  | SubqueryNode
  | CteNode
  | AliasNode
  | JoinNode
  | StarNode
  | SelectNode
  | CompoundSelectNode
  | InsertNode
  | UpdateNode
  | DeleteNode
  | TextNode
  | ExcludedNode
  | ColumnDefaultNode
  | JsonPathNode
  | ArrayIndexNode
  | AnyAllNode;

export type NodeKind = Node["kind"];

/** A named table as a FROM item or column owner. */
export interface TableNode {
  readonly kind: "table";
  readonly name: string;
  readonly schema: string | undefined;
}

/** `owner.name`: a column of a table, alias, subquery or CTE; `owner` undefined renders it bare. */
export interface ColumnNode {
  readonly kind: "column";
  readonly owner: FromNode | undefined;
  readonly name: string;
  readonly type: SqlType<unknown>;
}

/**
 * A bound parameter. `value` travels separately from the SQL text; `key` is set for named
 * parameters (`bindparam("x")`, `text(":x")`) whose value is supplied at execution.
 */
export interface BindNode {
  readonly kind: "bind";
  readonly value: unknown;
  readonly type: SqlType<unknown>;
  readonly key: string | undefined;
}

export interface NullNode {
  readonly kind: "null";
}

export interface BooleanLiteralNode {
  readonly kind: "boolean";
  readonly value: boolean;
}

/** SQL text used as a column (`literalColumn("x")`, `*`-free raw expressions from `text`). */
export interface RawColumnNode {
  readonly kind: "raw-column";
  readonly sql: string;
  readonly type: SqlType<unknown>;
}

export type BinaryOperator =
  | "="
  | "<>"
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "||"
  | "IS"
  | "IS NOT"
  | "IS DISTINCT FROM"
  | "IS NOT DISTINCT FROM"
  /** PostgreSQL ARRAY containment and overlap. */
  | "@>"
  | "<@"
  | "&&";

export interface BinaryNode {
  readonly kind: "binary";
  readonly operator: BinaryOperator;
  readonly left: Node;
  readonly right: Node;
}

export type UnaryOperator = "NOT" | "-" | "DISTINCT" | "IS NULL" | "IS NOT NULL";

export interface UnaryNode {
  readonly kind: "unary";
  readonly operator: UnaryOperator;
  readonly operand: Node;
}

/**
 * An element of a JSON value by key or index, or by a path of them (SQLAlchemy's `col["k"]`,
 * `col[("a", 0)]`), read as JSON or as a scalar of one type (`.asString()` …). Each path element
 * is a bound parameter.
 */
export interface JsonPathNode {
  readonly kind: "json-path";
  readonly operand: Node;
  /** One bind per key (a string) or index (a number). */
  readonly elements: readonly Node[];
  /** Per element: whether it is an array index. */
  readonly indexes: readonly boolean[];
  /** `"path"`: given as a path (PostgreSQL's `#>`), even of one element; `"item"`: `->`. */
  readonly form: "item" | "path";
  readonly as: "json" | "text" | "integer" | "float" | "boolean";
}

/** `arr[i]`: one element of a PostgreSQL ARRAY (1-based, as the database counts). */
export interface ArrayIndexNode {
  readonly kind: "array-index";
  readonly operand: Node;
  readonly index: Node;
  /** The element type. */
  readonly type: SqlType<unknown>;
}

/** `ANY (arr)` / `ALL (arr)`: the right side of a comparison with each element of an ARRAY. */
export interface AnyAllNode {
  readonly kind: "any-all";
  readonly quantifier: "ANY" | "ALL";
  readonly operand: Node;
  /** The element type. */
  readonly type: SqlType<unknown>;
}

/** `a AND b AND c` / `a OR b`, or a bare comma list. */
export interface ClauseListNode {
  readonly kind: "clause-list";
  readonly operator: "AND" | "OR" | ",";
  readonly clauses: readonly Node[];
}

/** `x IN (…)` / `x NOT IN (…)` over values, or over a subquery. An empty list follows SQLAlchemy. */
export interface InListNode {
  readonly kind: "in";
  readonly left: Node;
  readonly values: readonly Node[] | SelectNode | CompoundSelectNode;
  readonly negated: boolean;
}

export interface BetweenNode {
  readonly kind: "between";
  readonly operand: Node;
  readonly lower: Node;
  readonly upper: Node;
  readonly negated: boolean;
}

export interface LikeNode {
  readonly kind: "like";
  readonly operand: Node;
  readonly pattern: Node;
  readonly escape: string | undefined;
  readonly caseInsensitive: boolean;
  readonly negated: boolean;
}

export interface FunctionNode {
  readonly kind: "function";
  readonly name: string;
  readonly args: readonly Node[];
  readonly type: SqlType<unknown>;
}

export interface CastNode {
  readonly kind: "cast";
  readonly operand: Node;
  readonly type: SqlType<unknown>;
}

export interface CaseNode {
  readonly kind: "case";
  readonly value: Node | undefined;
  readonly whens: readonly (readonly [Node, Node])[];
  readonly otherwise: Node | undefined;
  readonly type: SqlType<unknown>;
}

export interface LabelNode {
  readonly kind: "label";
  readonly name: string;
  readonly element: Node;
}

/** Parentheses around an expression, where precedence needs them. */
export interface GroupingNode {
  readonly kind: "grouping";
  readonly element: Node;
}

export interface OrderingNode {
  readonly kind: "ordering";
  readonly element: Node;
  readonly direction: "ASC" | "DESC" | undefined;
  readonly nulls: "FIRST" | "LAST" | undefined;
}

export interface ExistsNode {
  readonly kind: "exists";
  readonly query: SelectNode | CompoundSelectNode;
}

export interface ScalarSubqueryNode {
  readonly kind: "scalar-subquery";
  readonly query: SelectNode | CompoundSelectNode;
}

/** `(SELECT …) AS name` in a FROM clause. */
export interface SubqueryNode {
  readonly kind: "subquery";
  readonly query: SelectNode | CompoundSelectNode;
  readonly name: string;
}

/** `WITH [RECURSIVE] name AS (…)`; referenced by name in FROM. */
export interface CteNode {
  readonly kind: "cte";
  readonly query: SelectNode | CompoundSelectNode;
  readonly name: string;
  readonly recursive: boolean;
}

/** `table AS name`. */
export interface AliasNode {
  readonly kind: "alias";
  readonly element: TableNode;
  readonly name: string;
}

export interface JoinNode {
  readonly kind: "join";
  readonly left: FromNode;
  readonly right: FromNode;
  readonly on: Node;
  readonly type: "INNER" | "LEFT OUTER" | "FULL OUTER";
}

/** `*` or `owner.*`. */
export interface StarNode {
  readonly kind: "star";
  readonly owner: FromNode | undefined;
}

export type FromNode = TableNode | AliasNode | SubqueryNode | CteNode | JoinNode;

export interface ForUpdate {
  readonly mode: "UPDATE" | "SHARE";
  readonly nowait: boolean;
  readonly skipLocked: boolean;
  readonly of: readonly FromNode[];
}

export interface SelectNode {
  readonly kind: "select";
  readonly columns: readonly Node[];
  /** The row key each column asked for (a column's key, a label's name), where it has one. */
  readonly columnKeys: readonly (string | undefined)[];
  readonly from: readonly FromNode[];
  readonly where: Node | undefined;
  readonly groupBy: readonly Node[];
  readonly having: Node | undefined;
  readonly orderBy: readonly OrderingNode[];
  readonly limit: Node | undefined;
  readonly offset: Node | undefined;
  readonly distinct: boolean;
  readonly forUpdate: ForUpdate | undefined;
  readonly ctes: readonly CteNode[];
  /** FROM items the enclosing query provides (correlated subqueries); never rendered here. */
  readonly correlate: readonly FromNode[] | "auto";
}

export interface CompoundSelectNode {
  readonly kind: "compound-select";
  readonly operator: "UNION" | "UNION ALL" | "EXCEPT" | "EXCEPT ALL" | "INTERSECT" | "INTERSECT ALL";
  readonly selects: readonly (SelectNode | CompoundSelectNode)[];
  readonly orderBy: readonly OrderingNode[];
  readonly limit: Node | undefined;
  readonly offset: Node | undefined;
  readonly ctes: readonly CteNode[];
}

/** One `column = value` pair of an INSERT row or an UPDATE SET clause. */
export interface Assignment {
  readonly column: string;
  readonly value: Node;
}

export type OnConflict =
  | {
      readonly kind: "do-nothing";
      readonly target: readonly string[];
    }
  | {
      readonly kind: "do-update";
      readonly target: readonly string[];
      readonly set: readonly Assignment[];
      readonly where: Node | undefined;
    }
  | {
      readonly kind: "duplicate-key-update";
      readonly set: readonly Assignment[];
    };

export interface InsertNode {
  readonly kind: "insert";
  readonly table: TableNode;
  /** Column names in order; every row lists a value for each. */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Node[])[];
  readonly fromSelect: SelectNode | CompoundSelectNode | undefined;
  readonly returning: readonly Node[];
  readonly returningKeys: readonly (string | undefined)[];
  readonly onConflict: OnConflict | undefined;
  readonly ctes: readonly CteNode[];
}

export interface UpdateNode {
  readonly kind: "update";
  readonly table: TableNode | AliasNode;
  readonly set: readonly Assignment[];
  readonly where: Node | undefined;
  readonly returning: readonly Node[];
  readonly returningKeys: readonly (string | undefined)[];
  readonly ctes: readonly CteNode[];
}

export interface DeleteNode {
  readonly kind: "delete";
  readonly table: TableNode | AliasNode;
  readonly where: Node | undefined;
  readonly returning: readonly Node[];
  readonly returningKeys: readonly (string | undefined)[];
  readonly ctes: readonly CteNode[];
}

/** Literal SQL with `:name` parameters: the escape hatch. The binds hold the named values. */
export interface TextNode {
  readonly kind: "text";
  /** The text split around its parameters: `parts[0] :names[0] parts[1] …`. */
  readonly parts: readonly string[];
  readonly binds: readonly BindNode[];
  readonly columns: readonly RawColumnNode[];
}

/** The proposed row of an upsert: `excluded.col` (PostgreSQL, SQLite) or `VALUES(col)` (MySQL). */
export interface ExcludedNode {
  readonly kind: "excluded";
  readonly name: string;
  readonly type: SqlType<unknown>;
}

/**
 * A column's client-side default (or onupdate) for a row that does not give the column: bound
 * like a value, but computed afresh each time the statement executes.
 */
export interface ColumnDefaultNode {
  readonly kind: "column-default";
  readonly compute: () => unknown;
  readonly type: SqlType<unknown>;
}

export type StatementNode = SelectNode | CompoundSelectNode | InsertNode | UpdateNode | DeleteNode | TextNode;
