import { ArgumentError } from "../../shared/errors.ts";
import { FromClause } from "../sql/from-clause.ts";
import { registerForeignKeys } from "../sql/join-condition.ts";
import type { TableNode } from "../sql/nodes.ts";
import { ColumnSpec, TableColumn } from "./column.ts";
import {
  type CheckConstraint,
  ForeignKeyConstraint,
  Index,
  PrimaryKeyConstraint,
  type TableConstraint,
  UniqueConstraint,
  renamed,
} from "./constraints.ts";
import type { MetaData } from "./metadata.ts";
import { conventionName, type NamingTable } from "./naming-convention.ts";
import type { TableArg, TableOptions } from "./table-options.ts";
/** The column declarations of a table, by key. */
export type ColumnSpecs = { readonly [key: string]: ColumnSpec<unknown> };

/** The `.c` collection a table gets from its declarations. */
export type TableColumns<S extends ColumnSpecs> = {
  readonly [K in keyof S & string]: S[K] extends ColumnSpec<infer T> ? TableColumn<T, K> : never;
};

/**
 * A table: its name, columns and constraints, registered in a `MetaData`.
 *
 * ```ts
 * const metadata = new MetaData();
 * const users = new Table("users", metadata, {
 *   id: Column(Integer, { primaryKey: true }),
 *   name: Column(StringType(50), { nullable: false }),
 * });
 * select(users.c.id, users.c.name).where(users.c.name.eq("ann"));
 * // SELECT users.id, users.name FROM users WHERE users.name = ?
 * ```
 */
export class Table<S extends ColumnSpecs = ColumnSpecs> extends FromClause<TableColumns<S>> {
  readonly name: string;
  readonly schema: string | undefined;
  readonly metadata: MetaData;
  readonly node: TableNode;
  readonly c: TableColumns<S>;
  readonly primaryKey: readonly TableColumn<unknown>[];
  /** The primary key as a constraint, with its name (given, or from the `pk` convention), if the table has one. */
  readonly primaryKeyConstraint: PrimaryKeyConstraint | undefined;
  /** The column the database generates (SERIAL / AUTO_INCREMENT), if any. */
  readonly autoincrementColumn: TableColumn<unknown> | undefined;
  /** Constraint and index names are final here: given ones, or made by the MetaData's naming convention. */
  readonly foreignKeys: readonly ForeignKeyConstraint[];
  readonly uniqueConstraints: readonly UniqueConstraint[];
  readonly checkConstraints: readonly CheckConstraint[];
  readonly indexes: readonly Index[];
  /** The table's comment (`TableOptions.comment`). */
  readonly comment: string | undefined;

  /**
   * `args` are constraints, indexes, `{ schema, comment }` options, and functions of the columns
   * returning constraints (SQLAlchemy's `Table(name, metadata, *columns, *constraints, **kw)`).
   */
  constructor(name: string, metadata: MetaData, columns: S, ...args: readonly TableArg<TableColumns<S>>[]) {
    super();
    const options: TableOptions = Object.assign(
      {},
      ...args.filter((a): a is TableOptions => typeof a === "object" && !("kind" in a)),
    ) as TableOptions;
    this.name = name;
    this.schema = options.schema ?? metadata.schema;
    this.comment = options.comment;
    this.metadata = metadata;
    this.node = Object.freeze({ kind: "table", name, schema: this.schema });
    const byKey: Record<string, TableColumn<unknown>> = {};
    const declared = args.filter((a): a is TableConstraint => typeof a === "object" && "kind" in a);
    const pkDeclared = declared.find((c): c is PrimaryKeyConstraint => c.kind === "primary-key");
    for (const [key, spec] of Object.entries(columns)) {
      if (!(spec instanceof ColumnSpec)) throw new ArgumentError(`${name}.${key} must be declared with Column(type, …)`);
      const primary = spec.options.primaryKey === true || (pkDeclared?.columns.includes(key) ?? false);
      byKey[key] = new TableColumn(key, spec, this.node, primary);
    }
    this.c = Object.freeze(byKey) as TableColumns<S>;
    const tableConstraints = args.flatMap((a): readonly TableConstraint[] => {
      if (typeof a !== "function") return "kind" in a ? [a] : [];
      const made = a(this.c);
      return Array.isArray(made) ? made : [made as TableConstraint];
    });
    const pkConstraint = tableConstraints.find((c): c is PrimaryKeyConstraint => c.kind === "primary-key");
    if (pkConstraint !== pkDeclared) throw new ArgumentError(`A PrimaryKeyConstraint on ${name} must be given directly, not by a function`);
    const all = Object.values(byKey);
    for (const key of pkConstraint?.columns ?? []) {
      if (!byKey[key]) throw new ArgumentError(`PrimaryKeyConstraint on ${name} names unknown column "${key}"`);
    }
    const naming: NamingTable = { name, schema: this.schema, column: (k) => this.column(k) };
    const named = <C extends TableConstraint>(constraint: C): C =>
      renamed(constraint, conventionName(metadata.namingConvention, constraint, naming));
    this.primaryKey = Object.freeze(all.filter((c) => c.primaryKey));
    this.primaryKeyConstraint =
      this.primaryKey.length === 0
        ? undefined
        : named(pkConstraint ?? new PrimaryKeyConstraint(this.primaryKey.map((c) => c.key)));
    this.autoincrementColumn = findAutoincrement(this.primaryKey);
    this.foreignKeys = Object.freeze(
      [
        ...all.flatMap((col) => col.foreignKeys.map((fk) => new ForeignKeyConstraint([col.key], [fk.target], { ...fk.options }))),
        ...tableConstraints.filter((c): c is ForeignKeyConstraint => c.kind === "foreign-key"),
      ].map(named),
    );
    this.uniqueConstraints = Object.freeze(
      [
        ...all.filter((c) => c.unique && !c.index && !c.primaryKey).map((c) => new UniqueConstraint([c.key])),
        ...tableConstraints.filter((c): c is UniqueConstraint => c.kind === "unique"),
      ].map(named),
    );
    this.checkConstraints = Object.freeze(tableConstraints.filter((c): c is CheckConstraint => c.kind === "check").map(named));
    this.indexes = Object.freeze(
      [
        ...all.filter((c) => c.index).map((c) => new Index(null, [c.key], { unique: c.unique })),
        ...tableConstraints.filter((c): c is Index => c.kind === "index"),
      ].map(named),
    );
    for (const constraint of [...this.foreignKeys, ...this.uniqueConstraints, ...this.indexes]) {
      for (const key of constraint.columns) {
        if (!byKey[key]) throw new ArgumentError(`A constraint on ${name} names unknown column "${key}"`);
      }
    }
    metadata.register(this);
    registerForeignKeys(this.node, () =>
      this.foreignKeys.map((fk) => {
        const remote = metadata.referencedTable(fk);
        return {
          localColumns: fk.columns.map((key) => (byKey[key] as TableColumn<unknown>).name),
          remoteTable: remote.node,
          remoteColumns: fk.targets.map((t) => {
            const name = t.slice(t.lastIndexOf(".") + 1);
            return remote.column(name)?.name ?? name;
          }),
          localTypes: fk.columns.map((key) => (byKey[key] as TableColumn<unknown>).type as TableColumn<unknown>["node"]["type"]),
        };
      }),
    );
  }

  /** The full name, `schema.name` when a schema is set. */
  get fullName(): string {
    return this.schema === undefined ? this.name : `${this.schema}.${this.name}`;
  }

  /**
   * Adds a column declared after the table (SQLAlchemy's `Table.append_column`): what a
   * single-table inheritance subclass does with the columns it declares. Its foreign key, index
   * and uniqueness come with it; constraints named by the MetaData's convention are named here.
   */
  appendColumn(key: string, spec: ColumnSpec<unknown>): TableColumn<unknown> {
    if (!(spec instanceof ColumnSpec)) throw new ArgumentError(`${this.name}.${key} must be declared with Column(type, …)`);
    if (key in this.c) throw new ArgumentError(`Table ${this.name} already has a column "${key}"`);
    if (spec.options.primaryKey === true) throw new ArgumentError(`${this.name}.${key}: a column appended to an existing table cannot join its primary key`);
    const column = new TableColumn(key, spec, this.node, false);
    const naming: NamingTable = { name: this.name, schema: this.schema, column: (k) => this.column(k) };
    const named = <C extends TableConstraint>(constraint: C): C => renamed(constraint, conventionName(this.metadata.namingConvention, constraint, naming));
    const mutable = this as unknown as { -readonly [K in "c" | "foreignKeys" | "uniqueConstraints" | "indexes"]: Table[K] };
    mutable.c = Object.freeze({ ...this.c, [key]: column }) as unknown as TableColumns<S>;
    const fks = column.foreignKeys.map((fk) => named(new ForeignKeyConstraint([key], [fk.target], { ...fk.options })));
    if (fks.length > 0) mutable.foreignKeys = Object.freeze([...this.foreignKeys, ...fks]);
    if (column.unique && !column.index) mutable.uniqueConstraints = Object.freeze([...this.uniqueConstraints, named(new UniqueConstraint([key]))]);
    if (column.index) mutable.indexes = Object.freeze([...this.indexes, named(new Index(null, [key], { unique: column.unique }))]);
    return column;
  }

  /** Looks a column up by key or by database name. */
  column(keyOrName: string): TableColumn<unknown> | undefined {
    const c = this.c as Readonly<Record<string, TableColumn<unknown>>>;
    return c[keyOrName] ?? Object.values(c).find((col) => col.name === keyOrName);
  }

  override toString(): string {
    return this.fullName;
  }
}

/**
 * SQLAlchemy's "auto" rule: a primary key made of one integer column with no foreign key is
 * generated by the database unless `autoincrement: false`.
 */
function findAutoincrement(primaryKey: readonly TableColumn<unknown>[]): TableColumn<unknown> | undefined {
  const explicit = primaryKey.find((c) => c.autoincrementOption === true || c.identity !== undefined || c.sequence !== undefined);
  if (explicit) return explicit;
  if (primaryKey.length !== 1) return undefined;
  const only = primaryKey[0];
  if (!only || only.autoincrementOption !== "auto" || only.foreignKeys.length > 0) return undefined;
  return ["integer", "bigint", "smallint"].includes(only.type.kind) ? only : undefined;
}
