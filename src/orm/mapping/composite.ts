/** A `composite()` declaration: a value of type `T` over the column attributes `K`. */
export class CompositeSpec<T, K extends readonly string[] = readonly string[]> {
  readonly kind = "composite";
  declare readonly __ts: T;
  /** The column attributes, in the order the value's constructor takes them. */
  readonly keys: K;
  readonly create: (...values: never[]) => T;
  /** The column values of a value, in `keys` order (a method type: a spec of `Point` is a spec of `unknown`). */
  readonly values: { values(value: T): readonly unknown[] }["values"];

  constructor(keys: K, create: (...values: never[]) => T, values: (value: T) => readonly unknown[]) {
    this.keys = keys;
    this.create = create;
    this.values = values;
    Object.freeze(this);
  }
}

/** A value class a composite can take apart without a `values` option. */
export interface CompositeValue {
  /** The column values, in the order the class's constructor takes them (SQLAlchemy's `__composite_values__`). */
  compositeValues(): readonly unknown[];
}

/**
 * A value object over several columns (SQLAlchemy's `composite`): reading the attribute builds
 * `new Class(...columnValues)`; assigning one writes each column (through their attributes, so
 * change tracking and validators see it); at class level it compares all the columns at once.
 * The class gives its values back by `compositeValues()`, or the `values` option does.
 *
 * ```ts
 * class Point {
 *   constructor(readonly x: number, readonly y: number) {}
 *   compositeValues() { return [this.x, this.y]; }
 * }
 * class Vertex extends Base.model("vertices", {
 *   id: mappedColumn(Integer, { primaryKey: true }),
 *   x1: mappedColumn(Integer, { nullable: false }),
 *   y1: mappedColumn(Integer, { nullable: false }),
 *   start: composite(Point, ["x1", "y1"]),
 * }) {}
 * vertex.start = new Point(3, 4);                       // sets x1 = 3, y1 = 4
 * select(Vertex).where(Vertex.start.eq(new Point(3, 4)))
 * // WHERE "vertices"."x1" = ? AND "vertices"."y1" = ?
 * ```
 *
 * A value read is built anew from the columns: change the columns (or assign a new value) rather
 * than mutating the object.
 */
export function composite<T extends CompositeValue, const K extends readonly string[]>(
  cls: new (...values: never[]) => T,
  keys: K,
): CompositeSpec<T, K>;
export function composite<T, const K extends readonly string[]>(
  cls: new (...values: never[]) => T,
  keys: K,
  options: { readonly values: (value: T) => readonly unknown[] },
): CompositeSpec<T, K>;
export function composite(
  cls: new (...values: never[]) => unknown,
  keys: readonly string[],
  options?: { readonly values: (value: unknown) => readonly unknown[] },
): CompositeSpec<unknown> {
  const values = options?.values ?? ((value: unknown) => (value as CompositeValue).compositeValues());
  return new CompositeSpec(keys, (...args: never[]) => new cls(...args), values);
}
