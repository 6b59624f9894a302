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
}

export class SqlType<T> {
  /** Phantom: the TypeScript type of this SQL type's values. Never set at run time. */
  declare readonly __ts: T;
  readonly kind: TypeKind;
  readonly options: TypeOptions;

  constructor(kind: TypeKind, options: TypeOptions = {}) {
    this.kind = kind;
    this.options = Object.freeze({ ...options });
    Object.freeze(this);
  }

  /** A key that identifies this type in a compiled-statement cache key. */
  get cacheKey(): string {
    const o = this.options;
    return `${this.kind}(${o.length ?? ""},${o.precision ?? ""},${o.scale ?? ""},${o.timezone ? "tz" : ""},${o.values?.join("|") ?? ""})`;
  }
}

/** The TypeScript type carried by a `SqlType`. */
export type TypeOf<S> = S extends SqlType<infer T> ? T : never;
