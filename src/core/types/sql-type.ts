/**
 * A SQL type: what a column holds in the database, and (as the phantom `T`) the TypeScript type a
 * value of it has in our code. Types are plain frozen data; how a value is converted on its way in
 * and out is decided by the dialect (`TypeProcessing`), because the same `DateTime` travels as text
 * on SQLite and as a timestamp on PostgreSQL.
 */
export type TypeKind =
  | "integer"
  | "bigint"
  | "smallint"
  | "string"
  | "text"
  | "boolean"
  | "float"
  | "numeric"
  | "date"
  | "datetime"
  | "time"
  | "interval"
  | "json"
  | "uuid"
  | "binary"
  | "enum"
  | "array"
  | "null";

export interface TypeOptions {
  /** `String(n)`: maximum length in characters. */
  readonly length?: number;
  /** `Numeric(p, s)`: precision and scale. */
  readonly precision?: number;
  readonly scale?: number;
  /** `DateTime({ timezone: true })`: the column keeps the offset (TIMESTAMPTZ). */
  readonly timezone?: boolean;
  /** `Enum([...])`: the allowed values, and the database type's name where one is created. */
  readonly values?: readonly string[];
  readonly name?: string;
  /** `ARRAY(item)` (PostgreSQL): the elements' type, and how many dimensions (1 unless given). */
  readonly item?: SqlType<unknown>;
  readonly dimensions?: number;
}

/**
 * What a custom type (`TypeDecorator`) adds to the type it wraps: conversions applied before the
 * wrapped type's own on the way in, and after them on the way out. The database name is the
 * dialect's (`"sqlite"`, `"postgresql"`, `"mysql"`).
 */
export interface TypeDecoration {
  /** The wrapped type: its kind and options decide the DDL and the driver-level processing. */
  readonly impl: SqlType<unknown>;
  /** Tells decorated types apart in compiled-statement cache keys. */
  readonly id: number;
  /** For messages: the custom type's name. */
  readonly name: string;
  readonly processBindParam: ((value: unknown, dialect: "sqlite" | "postgresql" | "mysql") => unknown) | undefined;
  readonly processResultValue: ((value: unknown, dialect: "sqlite" | "postgresql" | "mysql") => unknown) | undefined;
  /** Replaces comparisons of its values (`TypeDecoratorOptions.compare`); the sides are SQL expressions. */
  readonly compare: ((operator: ComparisonOperator, left: unknown, right: unknown) => unknown) | undefined;
}

/** The comparisons a custom type may redefine. */
export type ComparisonOperator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export class SqlType<T> {
  /** Phantom: the TypeScript type of this SQL type's values. Never set at run time. */
  declare readonly __ts: T;
  readonly kind: TypeKind;
  readonly options: TypeOptions;
  /** Set on a custom type made by `TypeDecorator(…)`: how it converts values around its `impl`. */
  readonly decoration: TypeDecoration | undefined;

  constructor(kind: TypeKind, options: TypeOptions = {}, decoration?: TypeDecoration) {
    this.kind = kind;
    this.options = Object.freeze({ ...options });
    this.decoration = decoration;
    Object.freeze(this);
  }

  /** A key that identifies this type in a compiled-statement cache key. */
  get cacheKey(): string {
    const o = this.options;
    const base = `${this.kind}(${o.length ?? ""},${o.precision ?? ""},${o.scale ?? ""},${o.timezone ? "tz" : ""},${o.values?.join("|") ?? ""}${o.item === undefined ? "" : `,[${o.item.cacheKey}]${o.dimensions ?? 1}`})`;
    return this.decoration === undefined ? base : `${this.decoration.name}#${this.decoration.id}:${base}`;
  }
}

/** The TypeScript type carried by a `SqlType`. */
export type TypeOf<S> = S extends SqlType<infer T> ? T : never;
