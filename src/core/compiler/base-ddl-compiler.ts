import { ArgumentError, NotSupportedFeatureError } from "../../shared/errors.ts";
import type { TableColumn } from "../schema/column.ts";
import type { Computed } from "../schema/computed.ts";
import type { Identity, SequenceOptions } from "../schema/identity.ts";
import type { Sequence } from "../schema/sequence.ts";
import type { CheckConstraint, ForeignKeyConstraint, Index, UniqueConstraint } from "../schema/constraints.ts";
import type { ReferentialAction } from "../schema/foreign-key.ts";
import type { MetaData } from "../schema/metadata.ts";
import { shortenName } from "../schema/naming-convention.ts";
import type { Table } from "../schema/table.ts";
import type { Expression } from "../sql/coercions.ts";
import type { Node } from "../sql/nodes.ts";
import { SqlType, type TypeKind } from "../types/sql-type.ts";
import type { DdlCompiler } from "./ddl-compiler.ts";
import type { SqlCompiler } from "./sql-compiler.ts";
import { selectNode } from "../sql/select-node.ts";

/** How one dialect writes each type kind in a column definition (exhaustive: a new kind fails to compile). */
export type ColumnTypeNames = {
  readonly [K in Exclude<TypeKind, "null">]: (type: SqlType<unknown>, column: TableColumn<unknown>, table: Table) => string;
};

/** A database type a table needs created first and dropped after it (a PostgreSQL ENUM). */
export interface NamedType {
  /** Identifies the type across tables (`schema.name`), so tables sharing it create it once. */
  readonly key: string;
  readonly create: string;
  readonly drop: string;
  /** A query returning one row when the type exists (for `checkfirst`). */
  readonly existsQuery: { readonly sql: string; readonly params: unknown[] };
}

/** A DDL compiler that can say which named types a table uses, with a query for their existence. */
export interface NamedTypeCatalog {
  namedTypes(table: Table): readonly NamedType[];
}

export function hasNamedTypeCatalog(ddl: DdlCompiler): ddl is DdlCompiler & NamedTypeCatalog {
  return typeof (ddl as Partial<NamedTypeCatalog>).namedTypes === "function";
}

const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = ["CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"];
const INTEGER_KINDS: readonly TypeKind[] = ["integer", "bigint", "smallint"];

export { shortenName };

/**
 * The DDL every dialect shares; dialects override the type names and the few hooks where their
 * syntax differs. Values in DDL cannot be bound, so this is the one place that renders literals
 * (`literal()`), always escaped for the dialect.
 *
 * ```ts
 * ddl.createTable(users, new Set());
 * // CREATE TABLE "users" (
 * //   "id" INTEGER NOT NULL,
 * //   "name" VARCHAR(50) NOT NULL,
 * //   PRIMARY KEY ("id")
 * // )
 * ```
 */
export abstract class BaseDdlCompiler implements DdlCompiler, NamedTypeCatalog {
  protected readonly compiler: SqlCompiler;
  protected abstract readonly typeNames: ColumnTypeNames;

  constructor(compiler: SqlCompiler) {
    this.compiler = compiler;
  }

  createTable(table: Table, deferredForeignKeys: ReadonlySet<ForeignKeyConstraint>): string[] {
    // Compiled first so that an index the database cannot have is refused before the table
    // exists (MySQL's DDL is not transactional: a half-created table would stay).
    this.createIndexes(table);
    // Without ALTER TABLE … ADD CONSTRAINT (SQLite) every foreign key stays inline; SQLite does
    // not check the referenced table at CREATE time, so cycles are fine.
    const inline = this.compiler.capabilities.alterAddForeignKey
      ? table.foreignKeys.filter((fk) => !deferredForeignKeys.has(fk))
      : table.foreignKeys;
    const lines = [
      ...Object.values(table.c as Readonly<Record<string, TableColumn<unknown>>>)
        .filter((c) => !c.system)
        .map((c) => this.columnSpecification(table, c)),
      ...this.primaryKeyClause(table),
      ...table.uniqueConstraints.map((u) => this.uniqueClause(table, u)),
      ...table.checkConstraints.map((c) => this.checkClause(c)),
      ...inline.map((fk) => this.foreignKeyClause(table, fk)),
    ];
    return [
      `CREATE TABLE ${this.tableName(table)} (\n  ${lines.join(",\n  ")}\n)${this.tableOptions(table)}`,
      ...this.commentStatements(table),
    ];
  }

  createIndexes(table: Table): string[] {
    return table.indexes.map((index) => this.createIndex(table, index));
  }

  addForeignKey(table: Table, fk: ForeignKeyConstraint): string {
    if (!this.compiler.capabilities.alterAddForeignKey) {
      throw new NotSupportedFeatureError("This database cannot add a foreign key with ALTER TABLE; it is created inline");
    }
    return `ALTER TABLE ${this.tableName(table)} ADD ${this.foreignKeyClause(table, fk)}`;
  }

  dropForeignKey(table: Table, fk: ForeignKeyConstraint): string {
    if (!this.compiler.capabilities.alterAddForeignKey) {
      throw new NotSupportedFeatureError("This database cannot drop a foreign key with ALTER TABLE");
    }
    const name = this.foreignKeyName(table, fk);
    if (name === undefined) {
      throw new ArgumentError(`The foreign key (${fk.columns.join(", ")}) of ${table.fullName} has no name; DROP CONSTRAINT needs one`);
    }
    return `ALTER TABLE ${this.tableName(table)} ${this.dropForeignKeyClause(this.compiler.quote(name))}`;
  }

  dropTable(table: Table): string {
    return `DROP TABLE ${this.tableName(table)}`;
  }

  createTypes(table: Table): string[] {
    return this.namedTypes(table).map((t) => t.create);
  }

  dropTypes(table: Table): string[] {
    return this.namedTypes(table).map((t) => t.drop);
  }

  /**
   * Named objects the table's columns use, created before it and dropped after it: the sequences
   * of its columns where the database has sequences (and PostgreSQL's ENUM types).
   */
  namedTypes(table: Table): readonly NamedType[] {
    if (!this.compiler.capabilities.sequences) return [];
    const sequences = new Map<string, NamedType>();
    for (const column of Object.values(table.c as Readonly<Record<string, TableColumn<unknown>>>)) {
      const sequence = column.sequence;
      if (sequence === undefined) continue;
      const schema = sequence.schema ?? table.schema;
      const key = `sequence:${schema ?? ""}.${sequence.name}`;
      if (sequences.has(key)) continue;
      const name = this.sequenceName(table, sequence);
      const options = sequenceOptions(sequence.options, column);
      sequences.set(key, {
        key,
        create: `CREATE SEQUENCE ${name}${options === "" ? "" : ` ${options}`}`,
        drop: `DROP SEQUENCE ${name}`,
        existsQuery: this.sequenceExistsQuery(sequence.name, schema),
      });
    }
    return [...sequences.values()];
  }

  /**
   * The name a foreign key is created (and dropped) by: its own or its naming convention's; else,
   * for one that must be dropped by name before its table (`useAlter`, or part of a cycle between
   * tables), a deterministic `fk_<table>_<columns>_<referenced table>` shortened with a hash past
   * 63 characters (SQLAlchemy raises on such a drop instead); else none, and the database names it.
   */
  foreignKeyName(table: Table, fk: ForeignKeyConstraint): string | undefined {
    if (fk.name !== undefined) return fk.name;
    if (!fk.useAlter && !cyclicForeignKeys(table.metadata).has(fk)) return undefined;
    const columns = fk.columns.map((key) => this.columnOf(table, key).name);
    return shortenName(`fk_${table.name}_${columns.join("_")}_${table.metadata.referencedTable(fk).name}`);
  }

  /**
   * A value as an SQL literal: strings quoted and escaped, finite numbers and bigints as digits,
   * booleans the dialect's way, `null` as NULL. Anything else cannot be written into DDL.
   */
  literal(value: unknown): string {
    switch (typeof value) {
      case "string":
        return this.stringLiteral(value);
      case "bigint":
        return value.toString();
      case "number":
        if (!Number.isFinite(value)) throw new ArgumentError(`${value} cannot be written as a SQL literal`);
        return String(value);
      case "boolean":
        return this.booleanLiteral(value);
      default:
        if (value === null) return "NULL";
        throw new ArgumentError(
          `A ${value === undefined ? "missing value" : Object.prototype.toString.call(value)} cannot be written as a literal in DDL; ` +
            "use a string, number, boolean or null (or literalColumn() for SQL text)",
        );
    }
  }

  /** An expression with every bound value rendered as an escaped literal and columns unqualified. */
  expression(expr: Expression | Node): string {
    return compileWithLiteralBinds(this.compiler, "node" in expr ? expr.node : expr, (v) => this.literal(v));
  }

  // ---- hooks a dialect overrides -------------------------------------------------------------

  /** `'…'` with quotes doubled. MySQL also doubles backslashes. */
  protected stringLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  protected booleanLiteral(value: boolean): string {
    return value ? "true" : "false";
  }

  /** Text after the closing parenthesis of CREATE TABLE (MySQL's ENGINE, charset and comment). */
  protected tableOptions(_table: Table): string {
    return "";
  }

  /** Statements after CREATE TABLE that set the table's and columns' comments (PostgreSQL's COMMENT ON). */
  protected commentStatements(_table: Table): string[] {
    return [];
  }

  /** The predicate of a partial index on this dialect (`postgresqlWhere`, `sqliteWhere`), if any. */
  protected indexWhere(_index: Index): Expression<boolean> | undefined {
    return undefined;
  }

  /** `USING method` of an index, where the dialect has index methods. */
  protected indexUsing(_index: Index): string {
    return "";
  }

  /** The quoted index name and table of CREATE INDEX; the schema qualifies the table. */
  protected indexNameAndTable(table: Table, name: string): [string, string] {
    return [this.compiler.quote(name), this.tableName(table)];
  }

  /** One element of an index: a quoted column, or an expression (parenthesised unless a function call). */
  protected indexElement(table: Table, element: string | Expression): string {
    if (typeof element === "string") return this.compiler.quote(this.columnOf(table, element).name);
    const sql = this.expression(element);
    return element.node.kind === "function" || element.node.kind === "column" ? sql : `(${sql})`;
  }

  protected dropForeignKeyClause(quotedName: string): string {
    return `DROP CONSTRAINT ${quotedName}`;
  }

  /**
   * Whether the column is generated by the database the dialect's own way (SERIAL,
   * AUTO_INCREMENT, rowid alias): the table's generated integer key, unless an identity or a
   * sequence the database has makes it.
   */
  protected isAutoincrement(table: Table, column: TableColumn<unknown>): boolean {
    const caps = this.compiler.capabilities;
    if ((column.identity !== undefined && caps.identityColumns) || (column.sequence !== undefined && caps.sequences)) return false;
    return table.autoincrementColumn === column && column.serverDefault === undefined && INTEGER_KINDS.includes(column.type.kind);
  }

  /**
   * How the database makes the column's values, if it does: an identity or sequence where the
   * database has them, else the dialect's autoincrement. An identity column the database cannot
   * make (not its generated integer key) is refused rather than silently left to the client.
   */
  protected generation(table: Table, column: TableColumn<unknown>): "identity" | "sequence" | "autoincrement" | undefined {
    const caps = this.compiler.capabilities;
    if (column.identity !== undefined && caps.identityColumns) return "identity";
    if (column.sequence !== undefined && caps.sequences) return "sequence";
    if (this.isAutoincrement(table, column)) return "autoincrement";
    if (column.identity !== undefined) {
      throw new NotSupportedFeatureError(
        `Column ${column} is an Identity, which this database does not have; here it can only be the table's ` +
          "single integer primary key, generated the database's way (AUTO_INCREMENT / INTEGER PRIMARY KEY)",
      );
    }
    return undefined;
  }

  /** `name TYPE [DEFAULT …] [GENERATED ALWAYS AS (…)] [GENERATED … AS IDENTITY] [NOT NULL]`. */
  protected columnSpecification(table: Table, column: TableColumn<unknown>): string {
    const generation = this.generation(table, column);
    const defaultSql = generation === "sequence" ? this.sequenceNextValue(table, column.sequence as Sequence) : this.serverDefault(column);
    return [
      this.compiler.quote(column.name),
      this.columnType(table, column),
      ...(defaultSql === undefined ? [] : [`DEFAULT ${defaultSql}`]),
      ...(column.computed === undefined ? [] : [this.computedClause(column.computed)]),
      ...(generation === "identity" ? [identityClause(column.identity as Identity, column)] : []),
      // An identity column is NOT NULL by definition.
      ...(column.nullable || generation === "identity" ? [] : ["NOT NULL"]),
      ...this.columnConstraints(table, column),
    ].join(" ");
  }

  /** `GENERATED ALWAYS AS (…) [STORED | VIRTUAL]`: the storage only when `persisted` says. */
  protected computedClause(computed: Computed): string {
    const sql = typeof computed.sqltext === "string" ? computed.sqltext : this.expression(computed.sqltext);
    const storage = computed.persisted === undefined ? "" : computed.persisted ? " STORED" : " VIRTUAL";
    return `GENERATED ALWAYS AS (${sql})${storage}`;
  }

  /** The quoted, schema-qualified name of a column's sequence (in its table's schema unless it has one). */
  protected sequenceName(table: Table, sequence: Sequence): string {
    const q = this.compiler.quote.bind(this.compiler);
    const schema = sequence.schema ?? table.schema;
    return schema === undefined ? q(sequence.name) : `${q(schema)}.${q(sequence.name)}`;
  }

  /** The next value of a sequence as a column default: `nextval('"seq"')` (PostgreSQL). */
  protected sequenceNextValue(table: Table, sequence: Sequence): string {
    return `nextval(${this.literal(this.sequenceName(table, sequence))})`;
  }

  /** A query returning one row when the sequence exists (for `checkfirst`). */
  protected sequenceExistsQuery(_name: string, _schema: string | undefined): { sql: string; params: unknown[] } {
    throw new NotSupportedFeatureError("This database has no sequences");
  }

  protected columnType(table: Table, column: TableColumn<unknown>): string {
    const type = column.type;
    if (type.kind === "null") throw new ArgumentError(`Column ${column} has no SQL type`);
    return this.typeNames[type.kind](type, column, table);
  }

  /** Column-level constraints after the rest (SQLite's CHECK for an Enum). */
  protected columnConstraints(_table: Table, _column: TableColumn<unknown>): string[] {
    return [];
  }

  protected serverDefault(column: TableColumn<unknown>): string | undefined {
    const value = column.serverDefault;
    if (value === undefined) return undefined;
    if (typeof value === "object" && value !== null) {
      const node = value.node;
      return this.defaultExpression(this.expression(node), node);
    }
    return this.literal(value);
  }

  /** How an expression default is written: bare here; SQLite and MySQL parenthesise. */
  protected defaultExpression(sql: string, _node: Node): string {
    return sql;
  }

  protected primaryKeyColumns(table: Table): readonly TableColumn<unknown>[] {
    return table.primaryKey;
  }

  // ---- shared pieces -------------------------------------------------------------------------

  protected tableName(table: Table): string {
    const q = this.compiler.quote.bind(this.compiler);
    return table.schema === undefined ? q(table.name) : `${q(table.schema)}.${q(table.name)}`;
  }

  protected columnOf(table: Table, key: string): TableColumn<unknown> {
    const column = table.column(key);
    if (!column) throw new ArgumentError(`Table ${table.fullName} has no column "${key}"`);
    return column;
  }

  protected columnList(table: Table, keys: readonly string[]): string {
    return keys.map((key) => this.compiler.quote(this.columnOf(table, key).name)).join(", ");
  }

  protected constraintPrefix(name: string | undefined): string {
    return name === undefined ? "" : `CONSTRAINT ${this.compiler.quote(name)} `;
  }

  protected primaryKeyClause(table: Table): string[] {
    const columns = this.primaryKeyColumns(table);
    if (columns.length === 0) return [];
    const name = table.primaryKeyConstraint?.name;
    return [`${this.constraintPrefix(name)}PRIMARY KEY (${columns.map((c) => this.compiler.quote(c.name)).join(", ")})`];
  }

  protected uniqueClause(table: Table, unique: UniqueConstraint): string {
    return `${this.constraintPrefix(unique.name)}UNIQUE (${this.columnList(table, unique.columns)})`;
  }

  protected checkClause(check: CheckConstraint): string {
    return `${this.constraintPrefix(check.name)}CHECK (${this.expression(check.condition)})`;
  }

  /**
   * Every foreign key is named (its own name or the generated one), inline or not, so that the
   * drop of a cycle finds it by name however the tables were created.
   */
  protected foreignKeyClause(table: Table, fk: ForeignKeyConstraint): string {
    return `${this.constraintPrefix(this.foreignKeyName(table, fk))}${this.foreignKeyBody(table, fk)}`;
  }

  /** `FOREIGN KEY (a) REFERENCES t (x) [ON DELETE …] [ON UPDATE …]`. */
  protected foreignKeyBody(table: Table, fk: ForeignKeyConstraint): string {
    const target = table.metadata.referencedTable(fk);
    const remote = fk.targets.map((t) => {
      const name = t.slice(t.lastIndexOf(".") + 1);
      return this.compiler.quote(target.column(name)?.name ?? name);
    });
    let sql = `FOREIGN KEY (${this.columnList(table, fk.columns)}) REFERENCES ${this.tableName(target)} (${remote.join(", ")})`;
    if (fk.ondelete !== undefined) sql += ` ON DELETE ${referentialAction(fk.ondelete)}`;
    if (fk.onupdate !== undefined) sql += ` ON UPDATE ${referentialAction(fk.onupdate)}`;
    return sql;
  }

  /**
   * `CREATE [UNIQUE] INDEX name ON table [USING m] (…) [WHERE …]`: the index lives in its table's
   * schema (SQLite writes that on the index name instead).
   */
  protected createIndex(table: Table, index: Index): string {
    const unique = index.unique ? "UNIQUE " : "";
    if (index.isFunctional && !this.compiler.capabilities.expressionIndexes) {
      throw new NotSupportedFeatureError(
        `Index ${index.name ?? "(unnamed)"} on ${table.fullName} is over an expression, which this database cannot index ` +
          "(MariaDB: index a generated column instead, declared with Computed())",
      );
    }
    const [name, on] = this.indexNameAndTable(table, indexName(table, index));
    const where = this.indexWhere(index);
    const elements = index.elements.map((e) => this.indexElement(table, e)).join(", ");
    return `CREATE ${unique}INDEX ${name} ON ${on}${this.indexUsing(index)} (${elements})${where === undefined ? "" : ` WHERE ${this.expression(where)}`}`;
  }

  /** `VARCHAR(n)`, or an error naming the column where the dialect needs a length. */
  protected varchar(type: SqlType<unknown>, column: TableColumn<unknown>, lengthRequired: boolean): string {
    const length = type.options.length;
    if (length === undefined) {
      if (lengthRequired) {
        throw new ArgumentError(`VARCHAR requires a length on this dialect: declare ${column} as StringType(n)`);
      }
      return "VARCHAR";
    }
    return `VARCHAR(${positiveInteger(length, column)})`;
  }

  /** `NUMERIC`, `NUMERIC(p)` or `NUMERIC(p, s)`. */
  protected numeric(type: SqlType<unknown>, column: TableColumn<unknown>): string {
    const { precision, scale } = type.options;
    if (precision === undefined) return "NUMERIC";
    const p = positiveInteger(precision, column);
    return scale === undefined ? `NUMERIC(${p})` : `NUMERIC(${p}, ${nonNegativeInteger(scale, column)})`;
  }

  /** ARRAY is PostgreSQL's (`capabilities.arrays`): refused with the column named elsewhere. */
  protected noArrays(column: TableColumn<unknown>): never {
    throw new NotSupportedFeatureError(`Column ${column} is an ARRAY, which only PostgreSQL has; use Json() for a list elsewhere`);
  }

  /** The allowed values of an Enum column, checked to be non-empty. */
  protected enumValues(type: SqlType<unknown>, column: TableColumn<unknown>): readonly string[] {
    const values = type.options.values ?? [];
    if (values.length === 0) throw new ArgumentError(`Enum column ${column} needs at least one value`);
    return values;
  }
}

/**
 * Compiles an expression for DDL: each bound value becomes `literal(value)`, columns lose their
 * table qualifier (CHECK and DEFAULT refer to the table's own columns), and subqueries or
 * per-row defaults are refused. The dialect's own compiler renders the rest, so operators,
 * functions and quoting are exactly those of its DML.
 */
export function compileWithLiteralBinds(compiler: SqlCompiler, node: Node, literal: (value: unknown) => string): string {
  const where = rewrite(node, literal) as Node;
  const select = selectNode({ columns: [], columnKeys: [], where, correlate: [] });
  const { compiled } = compiler.compile(select);
  const match = /^SELECT\s+(?:FROM\s+DUAL\s+)?WHERE /i.exec(compiled.sql);
  if (!match || compiled.slotOrder.length > 0) {
    throw new ArgumentError(`internal: could not render a DDL expression (got ${JSON.stringify(compiled.sql)})`);
  }
  return compiled.sql.slice(match[0].length);
}

const NOT_IN_DDL = new Set(["select", "compound-select", "scalar-subquery", "exists", "subquery", "cte", "column-default", "text"]);

function rewrite(value: unknown, literal: (value: unknown) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, literal));
  if (value === null || typeof value !== "object" || value instanceof SqlType) return value;
  const node = value as { kind?: unknown };
  if (typeof node.kind !== "string") return value;
  const n = value as Node;
  if (NOT_IN_DDL.has(n.kind)) {
    throw new ArgumentError(`A ${n.kind} cannot be part of a DDL expression (CHECK or server default)`);
  }
  if (n.kind === "bind") {
    if (n.key !== undefined && n.value === undefined) {
      throw new ArgumentError(`bindparam("${n.key}") has no value; DDL cannot take parameters`);
    }
    return { kind: "raw-column", sql: literal(n.value), type: n.type };
  }
  if (n.kind === "column") return { ...n, owner: undefined };
  if (n.kind === "table" || n.kind === "alias") return n;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) copy[k] = rewrite(v, literal);
  return copy;
}

/** `INCREMENT BY n START WITH n MINVALUE n MAXVALUE n CACHE n [NO] CYCLE`: the options given, in SQLAlchemy's order. */
function sequenceOptions(options: SequenceOptions, column: TableColumn<unknown>): string {
  const int = (value: number): string => {
    if (!Number.isSafeInteger(value)) throw new ArgumentError(`Column ${column}: sequence option ${value} is not an integer`);
    return String(value);
  };
  return [
    ...(options.increment === undefined ? [] : [`INCREMENT BY ${int(options.increment)}`]),
    ...(options.start === undefined ? [] : [`START WITH ${int(options.start)}`]),
    ...(options.minvalue === undefined ? [] : [`MINVALUE ${int(options.minvalue)}`]),
    ...(options.maxvalue === undefined ? [] : [`MAXVALUE ${int(options.maxvalue)}`]),
    ...(options.cache === undefined ? [] : [`CACHE ${int(options.cache)}`]),
    ...(options.cycle === undefined ? [] : [options.cycle ? "CYCLE" : "NO CYCLE"]),
  ].join(" ");
}

/** `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]`. */
function identityClause(identity: Identity, column: TableColumn<unknown>): string {
  const options = sequenceOptions(identity.options, column);
  return `GENERATED ${identity.always ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${options === "" ? "" : ` (${options})`}`;
}

function referentialAction(action: ReferentialAction): string {
  if (!REFERENTIAL_ACTIONS.includes(action)) {
    throw new ArgumentError(`Unknown referential action ${JSON.stringify(action)}; use one of ${REFERENTIAL_ACTIONS.join(", ")}`);
  }
  return action;
}

function positiveInteger(value: number, column: TableColumn<unknown>): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new ArgumentError(`Column ${column}: ${value} is not a positive integer`);
  return value;
}

function nonNegativeInteger(value: number, column: TableColumn<unknown>): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new ArgumentError(`Column ${column}: ${value} is not a non-negative integer`);
  return value;
}

function indexName(table: Table, index: Index): string {
  if (index.name === undefined) {
    throw new ArgumentError(
      `An index on ${table.fullName} has no name, and the MetaData's naming convention has no "ix" template to make one`,
    );
  }
  return index.name;
}

/** The foreign keys of a MetaData that close a cycle between tables (or are `useAlter`), per table count. */
const cyclesByMetadata = new WeakMap<MetaData, { readonly tableCount: number; readonly foreignKeys: ReadonlySet<ForeignKeyConstraint> }>();

function cyclicForeignKeys(metadata: MetaData): ReadonlySet<ForeignKeyConstraint> {
  const cached = cyclesByMetadata.get(metadata);
  if (cached !== undefined && cached.tableCount === metadata.tables.size) return cached.foreignKeys;
  const foreignKeys = metadata.creationOrder().deferredForeignKeys;
  cyclesByMetadata.set(metadata, { tableCount: metadata.tables.size, foreignKeys });
  return foreignKeys;
}
