import { type ComparisonOperator, SqlType } from "./sql-type.ts";

/** The database a value travels to or from, for conversions that differ per database. */
export type TypeDialectName = "sqlite" | "postgresql" | "mysql";

/** How a custom type converts values around the type it wraps (SQLAlchemy's `TypeDecorator` methods). */
export interface TypeDecoratorOptions<T, I> {
  /** The type it is stored as (SQLAlchemy's `impl`): its DDL, and its own conversions after `processBindParam`. */
  readonly impl: SqlType<I>;
  /** For messages and cache keys. */
  readonly name?: string;
  /** Our value → the `impl` value sent to the database (SQLAlchemy's `process_bind_param`). Not called for NULL. */
  readonly processBindParam?: (value: T, dialect: TypeDialectName) => I;
  /** The `impl` value read back → our value (SQLAlchemy's `process_result_value`). Not called for NULL. */
  readonly processResultValue?: (value: I, dialect: TypeDialectName) => T;
  /**
   * Redefines comparisons of the type's values (SQLAlchemy's `comparator_factory` overriding
   * `__eq__` …): called with the operator and both sides as SQL expressions (`ColumnElement`s; the
   * right one already bound as this type), it returns the comparison to use, or `undefined` for
   * the plain one. Inside it, comparisons of this type are the plain ones.
   *
   * ```ts
   * const CaseInsensitive = TypeDecorator<string, string>({
   *   impl: StringType(100),
   *   compare: (op, left: ColumnElement<string>, right: ColumnElement<string>) =>
   *     op === "=" ? func.lower(left).eq(func.lower(right)) : undefined,
   * });
   * users.c.email.eq("Ann@Example.com")   // lower("users"."email") = lower(?)
   * ```
   */
  compare?(operator: ComparisonOperator, left: never, right: never): unknown;
  /**
   * SQLAlchemy's `cache_ok`, accepted for parity: each custom type is keyed in the statement cache
   * by its identity, so any type is safe to cache.
   */
  readonly cacheOk?: boolean;
}

let nextDecoratorId = 0;

/**
 * A custom type over an existing one (SQLAlchemy's `TypeDecorator`): stored and declared as
 * `impl`, converted by your functions on the way in and out, everywhere a value of it travels
 * (INSERT and UPDATE values, WHERE comparisons, Core rows and ORM attributes).
 *
 * ```ts
 * type Point = { x: number; y: number };
 * const PointType = TypeDecorator<Point, string>({
 *   name: "Point",
 *   impl: StringType(40),
 *   processBindParam: (p) => `${p.x},${p.y}`,
 *   processResultValue: (text) => { const [x, y] = text.split(",").map(Number); return { x: x!, y: y! }; },
 * });
 * const shapes = new Table("shapes", metadata, { id: Column(Integer, { primaryKey: true }), at: Column(PointType) });
 * // CREATE TABLE "shapes" ("id" INTEGER NOT NULL, "at" VARCHAR(40), …)
 * await conn.execute(insert(shapes).values({ at: { x: 1, y: 2 } }));   // binds '1,2'
 * ```
 */
export function TypeDecorator<T, I>(options: TypeDecoratorOptions<T, I>): SqlType<T> {
  const { impl } = options;
  return new SqlType<T>(impl.kind, impl.options, {
    impl,
    id: ++nextDecoratorId,
    name: options.name ?? "TypeDecorator",
    processBindParam: options.processBindParam as ((value: unknown, dialect: TypeDialectName) => unknown) | undefined,
    processResultValue: options.processResultValue as ((value: unknown, dialect: TypeDialectName) => unknown) | undefined,
    compare: options.compare as ((operator: ComparisonOperator, left: unknown, right: unknown) => unknown) | undefined,
  });
}
