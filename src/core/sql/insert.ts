import { ArgumentError } from "../../shared/errors.ts";
import { ColumnElement } from "./column-element.ts";
import { type Expression, coerceToClause, coerceToValue } from "./coercions.ts";
import type { DmlColumn, DmlTable, ValuesOf } from "./dml-table.ts";
import { type DmlColumns, type DmlStatementExtras, type DmlTargetable, type ReturningArg, type ReturningRow, dmlExtrasOf, dmlTableOf } from "./dml-target.ts";
import type { Assignment, CompoundSelectNode, InsertNode, Node, OnConflict, SelectNode } from "./nodes.ts";
import { withReturning } from "./returning.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";

type Columns<T> = T extends DmlTable<infer C> ? C : never;

/**
 * An immutable INSERT builder.
 *
 * ```ts
 * insert(users).values({ name: "ann" })                 // INSERT INTO users (name) VALUES (?)
 * insert(users).values([{ name: "a" }, { name: "b" }])  // INSERT INTO users (name) VALUES (?), (?)
 * insert(users).values({ name: "a" }).returning(users.c.id)
 * ```
 *
 * Built from a mapped class (`insert(User)`), rows are keyed by attribute, and a session runs
 * `session.execute(insert(User).returning(User), [rows…])` as an ORM bulk INSERT (docs/orm-dml.md).
 */
export class Insert<T extends DmlTable, R = never> {
  declare readonly __row: R;
  readonly table: T;
  readonly node: InsertNode;
  /** @internal What a session needs to know beyond the SQL: the target given and the entities returned. */
  readonly extras: DmlStatementExtras;

  constructor(table: T, node: InsertNode, extras: DmlStatementExtras = dmlExtrasOf(table)) {
    this.table = table;
    this.node = node;
    this.extras = extras;
  }

  /** The table or mapped class the statement was built from. */
  get target(): unknown {
    return this.extras.target;
  }

  #with(changes: Partial<InsertNode>): Insert<T, R> {
    return new Insert<T, R>(this.table, Object.freeze({ ...this.node, ...changes }), this.extras);
  }

  /** One row, or several (a multi-row VALUES); every row must name the same columns. */
  values(rows: ValuesOf<Columns<T>> | readonly ValuesOf<Columns<T>>[]): Insert<T, R> {
    const list = (Array.isArray(rows) ? rows : [rows]) as readonly Record<string, unknown>[];
    if (list.length === 0) throw new ArgumentError("insert().values() needs at least one row");
    const keys = Object.keys(list[0] as object).filter((k) => (list[0] as Record<string, unknown>)[k] !== undefined);
    const columns = keys.map((k) => this.#column(k));
    const defaults = Object.values(this.table.c).filter((c) => c.hasClientDefault && !keys.includes(c.key));
    const rowNodes = list.map((row, i) => {
      const rowKeys = Object.keys(row).filter((k) => row[k] !== undefined);
      if (rowKeys.length !== keys.length || rowKeys.some((k) => !keys.includes(k))) {
        throw new ArgumentError(`insert().values(): row ${i} names columns [${rowKeys}] but row 0 names [${keys}]`);
      }
      return [
        ...columns.map((c) => coerceToValue(row[c.key], c.type)),
        ...defaults.map((c): Node => ({ kind: "column-default", compute: () => c.defaultValue(), type: c.type })),
      ];
    });
    return this.#with({ columns: [...columns, ...defaults].map((c) => c.name), rows: rowNodes });
  }

  /** `INSERT INTO t (names…) SELECT …`. */
  fromSelect(names: readonly (keyof Columns<T> & string)[], query: { readonly queryNode: SelectNode | CompoundSelectNode }): Insert<T, R> {
    return this.#with({ columns: names.map((n) => this.#column(n).name), rows: [], fromSelect: query.queryNode });
  }

  /**
   * `RETURNING …` (where the dialect has it; otherwise compiling raises `NotSupportedFeatureError`).
   * A mapped class returns its instances when a session runs the statement.
   */
  returning<const A extends readonly ReturningArg[]>(...args: A): Insert<T, ReturningRow<A>> {
    const { node, extras } = withReturning(this.node, this.extras, args);
    return new Insert<T, ReturningRow<A>>(this.table, node, extras);
  }

  /** `ON CONFLICT (target) DO NOTHING` (PostgreSQL, SQLite). */
  onConflictDoNothing(options: { indexElements?: readonly (keyof Columns<T> & string)[] } = {}): Insert<T, R> {
    return this.#with({ onConflict: { kind: "do-nothing", target: this.#names(options.indexElements ?? []) } });
  }

  /**
   * `ON CONFLICT (target) DO UPDATE SET … [WHERE …]` (PostgreSQL, SQLite). Use `excluded(column)`
   * for the value the failed row proposed.
   */
  onConflictDoUpdate(options: {
    indexElements: readonly (keyof Columns<T> & string)[];
    set: ValuesOf<Columns<T>>;
    where?: Expression<boolean>;
  }): Insert<T, R> {
    const conflict: OnConflict = {
      kind: "do-update",
      target: this.#names(options.indexElements),
      set: this.#assignments(options.set),
      where: options.where === undefined ? undefined : coerceToClause(options.where, "onConflictDoUpdate()"),
    };
    return this.#with({ onConflict: conflict });
  }

  /** `ON DUPLICATE KEY UPDATE …` (MySQL/MariaDB); `excluded(column)` renders `VALUES(column)`. */
  onDuplicateKeyUpdate(set: ValuesOf<Columns<T>>): Insert<T, R> {
    return this.#with({ onConflict: { kind: "duplicate-key-update", set: this.#assignments(set) } });
  }

  #column(key: string): DmlColumn {
    const column = this.table.c[key];
    if (!column) throw new ArgumentError(`Table "${this.table.name}" has no column "${key}"`);
    return column;
  }

  #names(keys: readonly string[]): string[] {
    return keys.map((k) => this.#column(k).name);
  }

  #assignments(set: object): Assignment[] {
    return Object.entries(set)
      .filter(([, v]) => v !== undefined)
      .map(([key, value]) => {
        const column = this.#column(key);
        return { column: column.name, value: coerceToValue(value, column.type) };
      });
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
 * `INSERT INTO table …`, of a table or of a mapped class's table (`insert(User)`, rows keyed by
 * attribute; a session runs it as an ORM bulk INSERT, see docs/orm-dml.md).
 */
export function insert<T extends DmlTable>(table: T): Insert<T>;
export function insert<C extends DmlColumns>(model: DmlTargetable<C>): Insert<DmlTable<C>>;
export function insert(target: DmlTable | DmlTargetable): Insert<DmlTable> {
  const table = dmlTableOf(target, "insert()");
  return new Insert(
    table,
    Object.freeze({
      kind: "insert",
      table: table.node,
      columns: [],
      rows: [],
      fromSelect: undefined,
      returning: [],
      returningKeys: [],
      onConflict: undefined,
      ctes: [],
    }),
    dmlExtrasOf(target),
  );
}

/** In an upsert's SET: the value the conflicting row proposed (`excluded.x`, or `VALUES(x)` on MySQL). */
export function excluded<T>(column: DmlColumn<T>): ColumnElement<T> {
  return new ColumnElement<T>({ kind: "excluded", name: column.name, type: column.type }, column.type);
}

