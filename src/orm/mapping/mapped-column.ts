import { Column, type ColumnOptions, type ColumnSpec, type ColumnValue } from "../../core/schema/column.ts";
import type { ForeignKeySpec } from "../../core/schema/foreign-key.ts";
import type { SqlType } from "../../core/types/sql-type.ts";

export interface MappedColumnOptions<T> extends ColumnOptions<T> {
  /** Leave the column out of the model's SELECTs until read (SQLAlchemy's `deferred`). */
  readonly deferred?: boolean;
}

/**
 * A mapped column declaration: the Core column plus ORM options; `D`: declared `deferred`, `PK`:
 * part of the primary key, `Req`: the constructor must be given a value (see `IsRequired`).
 */
export class MappedColumnSpec<T, D extends boolean = boolean, PK extends boolean = boolean, Req extends boolean = boolean> {
  readonly kind = "column";
  declare readonly __ts: T;
  declare readonly __deferred: D;
  declare readonly __primaryKey: PK;
  declare readonly __required: Req;
  readonly column: ColumnSpec<T>;
  readonly deferred: boolean;

  constructor(column: ColumnSpec<T>, deferred: boolean) {
    this.column = column;
    this.deferred = deferred;
    Object.freeze(this);
  }
}

/** Whether options declare the column deferred: its attribute is then typed `T | NotLoaded<T>`. */
type IsDeferred<O> = O extends { readonly deferred: true } ? true : false;

/** Whether options declare the column part of the primary key (`session.get()`'s identity). */
type IsPrimaryKey<O> = O extends { readonly primaryKey: true } ? true : false;

/**
 * Whether `new Model({...})` must be given the column: declared `nullable: false` and nothing else
 * can fill it at INSERT — no primary key (generated, or given through a relationship), no client or
 * server default, not computed, identity, sequence-fed or system. A column with a `ForeignKey` is
 * never required: a relationship assignment fills it at flush (the second overload of `mappedColumn`).
 */
type IsRequired<O> = O extends { readonly nullable: false }
  ? O extends
      | { readonly primaryKey: true }
      | { readonly default: unknown }
      | { readonly serverDefault: unknown }
      | { readonly computed: unknown }
      | { readonly identity: unknown }
      | { readonly sequence: unknown }
      | { readonly system: true }
    ? false
    : true
  : false;

/**
 * Declares a mapped attribute backed by a column (SQLAlchemy's `mapped_column`). The attribute's
 * TypeScript type follows the SQL type and nullability: `T | null` unless `primaryKey` or `nullable: false`.
 *
 * ```ts
 * id: mappedColumn(Integer, { primaryKey: true }),                         // number
 * organizationId: mappedColumn(Integer, ForeignKey("organizations.id")),   // number | null
 * ```
 */
export function mappedColumn<T, const O extends MappedColumnOptions<T> = {}>(
  type: SqlType<T>,
  options?: O,
): MappedColumnSpec<ColumnValue<T, O>, IsDeferred<O>, IsPrimaryKey<O>, IsRequired<O>>;
export function mappedColumn<T, const O extends MappedColumnOptions<T> = {}>(
  type: SqlType<T>,
  foreignKey: ForeignKeySpec,
  options?: O,
): MappedColumnSpec<ColumnValue<T, O>, IsDeferred<O>, IsPrimaryKey<O>, false>;
export function mappedColumn(
  type: SqlType<unknown>,
  second?: ForeignKeySpec | MappedColumnOptions<unknown>,
  third?: MappedColumnOptions<unknown>,
): MappedColumnSpec<unknown> {
  const hasForeignKey = second !== undefined && "target" in second;
  const { deferred = false, ...options } = (hasForeignKey ? third : second) ?? {};
  const column = hasForeignKey ? Column(type, second as ForeignKeySpec, options) : Column(type, options);
  return new MappedColumnSpec(column, deferred);
}
