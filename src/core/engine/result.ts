import { ArgumentError, InvalidRequestError, MultipleResultsFound, NoResultFound } from "../../shared/errors.ts";

/** The first value of a row: element 0 of an ORM tuple row, or the (single) column of an object row. */
export type FirstValue<R> = R extends readonly [infer F, ...unknown[]] ? F : R[keyof R];

/** What a statement reported besides its rows. */
export interface ResultMeta {
  /** Result column keys, in order. */
  readonly keys: readonly string[];
  /** Rows inserted, updated or deleted, where the driver reports it. */
  readonly rowsAffected: number;
  /** The last generated key of an INSERT on databases that report one (SQLite, MySQL). */
  readonly lastInsertId: number | bigint | undefined;
  /**
   * Rows repeat the same entity (an ORM select with a joined eager collection): fetching more than
   * the first row needs `unique()` first, as in SQLAlchemy.
   */
  readonly uniqueRequired?: boolean;
}

/** @internal Also raised by the ORM's async results. */
export const UNIQUE_REQUIRED =
  "The unique() method must be invoked on this Result, as it contains results that include joined eager loads against collections";

function requireUnique(required: boolean | undefined): void {
  if (required) throw new InvalidRequestError(UNIQUE_REQUIRED);
}

/**
 * The buffered rows of one statement, typed `R`. Like SQLAlchemy's `Result`, fetching consumes:
 * `first()`, `one()` and friends take what they need and discard the rest.
 *
 * ```ts
 * const result = await conn.execute(select(users.c.id, users.c.name));
 * result.all();          // [{ id: 1, name: "ann" }, …]
 * ```
 */
export class Result<R> implements Iterable<R>, AsyncIterable<R> {
  #tuples: R[] | undefined;
  /** The values of a one-column result, held as they are until something asks for rows. */
  readonly #column: unknown[] | undefined;
  readonly meta: ResultMeta;
  #position = 0;

  constructor(rows: R[], meta: ResultMeta);
  /** @internal */
  constructor(rows: undefined, meta: ResultMeta, column: unknown[]);
  constructor(rows: R[] | undefined, meta: ResultMeta, column?: unknown[]) {
    this.#tuples = rows;
    this.#column = column;
    this.meta = meta;
  }

  /**
   * @internal A result of one column given by its values: `scalars()` hands them over as they
   * are, and rows (one-element arrays) are only built if asked for. ORM selects of one entity
   * (`select(User)`) take this path, so that 10,000 loaded users are not 10,000 tuples as well.
   */
  static ofColumn<R>(values: unknown[], meta: ResultMeta): Result<R> {
    return new Result<R>(undefined, meta, values);
  }

  /**
   * @internal The rows of several results one after the other, unread (a statement a sharded
   * session ran on several shards); rows affected are summed.
   */
  static concat<R>(results: readonly Result<R>[]): Result<R> {
    const first = results[0];
    if (first === undefined) throw new RangeError("Result.concat() needs at least one result");
    const rows = results.flatMap((r) => r.#rows.slice(r.#position));
    return new Result(rows, { ...first.meta, rowsAffected: results.reduce((sum, r) => sum + r.rowsAffected, 0), lastInsertId: undefined });
  }

  /**
   * @internal The remaining rows, or the values of a one-column result (`column`), as they are and
   * without the unique() check: an async result takes them over.
   */
  takeRemaining(): { values: unknown[]; column: boolean } {
    const column = this.#column !== undefined && this.#tuples === undefined;
    const all = column ? (this.#column as unknown[]) : this.#rows;
    const values = this.#position === 0 ? all : all.slice(this.#position);
    this.#position = all.length;
    return { values, column };
  }

  get #rows(): R[] {
    return (this.#tuples ??= (this.#column as unknown[]).map((value) => [value] as R));
  }

  get rowsAffected(): number {
    return this.meta.rowsAffected;
  }

  get lastInsertId(): number | bigint | undefined {
    return this.meta.lastInsertId;
  }

  /** The result's column keys. */
  keys(): readonly string[] {
    return this.meta.keys;
  }

  /** Every remaining row. */
  all(): R[] {
    requireUnique(this.meta.uniqueRequired);
    const rows = this.#position === 0 ? this.#rows : this.#rows.slice(this.#position);
    this.#position = this.#rows.length;
    return rows;
  }

  /** The next `size` rows (fewer at the end, `[]` once consumed), SQLAlchemy's `fetchmany()`. */
  fetchmany(size: number): R[] {
    requireUnique(this.meta.uniqueRequired);
    const rows = this.#rows.slice(this.#position, this.#position + checkedSize(size));
    this.#position += rows.length;
    return rows;
  }

  /** The remaining rows in lists of `size` (the last may be shorter), SQLAlchemy's `partitions()`. */
  *partitions(size: number): Generator<R[], void, undefined> {
    checkedSize(size);
    for (let part = this.fetchmany(size); part.length > 0; part = this.fetchmany(size)) yield part;
  }

  /** The next row, or `null`; the rest is discarded. */
  first(): R | null {
    const row = this.#rows[this.#position] ?? null;
    this.#position = this.#rows.length;
    return row;
  }

  /** Exactly one row, else `NoResultFound` / `MultipleResultsFound`. */
  one(): R {
    const row = this.oneOrNone();
    if (row === null) throw new NoResultFound("No row was found when one was required");
    return row;
  }

  /** One row or `null`; more than one raises `MultipleResultsFound`. */
  oneOrNone(): R | null {
    requireUnique(this.meta.uniqueRequired);
    const remaining = this.#rows.length - this.#position;
    if (remaining > 1) {
      this.#position = this.#rows.length;
      throw new MultipleResultsFound("Multiple rows were found when one or none was required");
    }
    return this.first();
  }

  /** The first column of the first row, or `null` when there is no row. */
  scalar(): FirstValue<R> | null {
    const row = this.first();
    return row === null ? null : firstValue<R>(row as R, this.meta.keys);
  }

  /** The first column of exactly one row. */
  scalarOne(): FirstValue<R> {
    return firstValue(this.one(), this.meta.keys);
  }

  scalarOneOrNone(): FirstValue<R> | null {
    const row = this.oneOrNone();
    return row === null ? null : firstValue<R>(row as R, this.meta.keys);
  }

  /** The first column of each row (or the column with `key`). */
  scalars(): ScalarResult<FirstValue<R>>;
  scalars<K extends keyof R>(key: K): ScalarResult<R[K]>;
  scalars(key?: keyof R): ScalarResult<unknown> {
    const column = this.#column;
    if (column !== undefined && this.#tuples === undefined && (key === undefined || key === this.meta.keys[0])) {
      const values = this.#position === 0 ? column : column.slice(this.#position);
      this.#position = column.length;
      return new ScalarResult(values, this.meta.uniqueRequired);
    }
    const k = (key ?? this.meta.keys[0]) as keyof R;
    const rows = this.#position === 0 ? this.#rows : this.#rows.slice(this.#position);
    this.#position = this.#rows.length;
    return new ScalarResult(
      rows.map((row) => row[k]),
      this.meta.uniqueRequired,
    );
  }

  /**
   * The remaining rows without repeats (ORM rows compare their entities by identity, other rows
   * by value), keeping the first of each.
   */
  unique(): Result<R> {
    const rows = this.#position === 0 ? this.#rows : this.#rows.slice(this.#position);
    this.#position = this.#rows.length;
    const seen = new Set<unknown>();
    const kept: R[] = [];
    for (const row of rows) {
      const key = rowIdentity(row);
      if (seen.has(key)) continue;
      seen.add(key);
      kept.push(row);
    }
    return new Result(kept, { ...this.meta, uniqueRequired: false });
  }

  /** Rows as plain objects keyed by column (they already are; kept for SQLAlchemy parity). */
  mappings(): Result<R> {
    return this;
  }

  [Symbol.iterator](): Iterator<R> {
    return this.all()[Symbol.iterator]();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    yield* this.all();
  }
}

/** One value per row: `result.scalars()`. */
export class ScalarResult<T> implements Iterable<T>, AsyncIterable<T> {
  readonly #values: T[];
  readonly #uniqueRequired: boolean | undefined;
  #position = 0;

  constructor(values: T[], uniqueRequired?: boolean) {
    this.#values = values;
    this.#uniqueRequired = uniqueRequired;
  }

  all(): T[] {
    requireUnique(this.#uniqueRequired);
    const values = this.#position === 0 ? this.#values : this.#values.slice(this.#position);
    this.#position = this.#values.length;
    return values;
  }

  /** The next `size` values (fewer at the end, `[]` once consumed). */
  fetchmany(size: number): T[] {
    requireUnique(this.#uniqueRequired);
    const values = this.#values.slice(this.#position, this.#position + checkedSize(size));
    this.#position += values.length;
    return values;
  }

  /** The remaining values in lists of `size` (the last may be shorter). */
  *partitions(size: number): Generator<T[], void, undefined> {
    checkedSize(size);
    for (let part = this.fetchmany(size); part.length > 0; part = this.fetchmany(size)) yield part;
  }

  first(): T | null {
    const value = this.#position < this.#values.length ? (this.#values[this.#position] as T) : null;
    this.#position = this.#values.length;
    return value;
  }

  one(): T {
    requireUnique(this.#uniqueRequired);
    const remaining = this.#values.length - this.#position;
    if (remaining === 0) throw new NoResultFound("No row was found when one was required");
    if (remaining > 1) throw new MultipleResultsFound("Multiple rows were found when exactly one was required");
    return this.first() as T;
  }

  oneOrNone(): T | null {
    requireUnique(this.#uniqueRequired);
    const remaining = this.#values.length - this.#position;
    if (remaining > 1) throw new MultipleResultsFound("Multiple rows were found when one or none was required");
    return this.first();
  }

  /** Drops repeated values (by identity), keeping the first of each. */
  unique(): ScalarResult<T> {
    const values = this.#position === 0 ? this.#values : this.#values.slice(this.#position);
    this.#position = this.#values.length;
    return new ScalarResult([...new Set(values)]);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.all()[Symbol.iterator]();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this.all();
  }
}

function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`size must be a whole number ≥ 1 (got ${String(size)})`);
  return size;
}

/** A row's identity for unique(): tuple rows by their elements' identity, object rows by value. */
export function rowIdentity(row: unknown): unknown {
  if (Array.isArray(row)) {
    if (row.length === 1) return row[0];
    return row.map((value) => valueKey(value)).join("\u0000");
  }
  if (typeof row === "object" && row !== null) return Object.values(row).map((value) => valueKey(value)).join("\u0000");
  return row;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function valueKey(value: unknown): string {
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    let id = objectIds.get(value);
    if (id === undefined) objectIds.set(value, (id = ++nextObjectId));
    return `#${id}`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return `d${value.getTime()}`;
  return `${typeof value}:${String(value)}`;
}

function firstValue<R>(row: R, keys: readonly string[]): FirstValue<R> {
  return (row as Record<string, unknown>)[keys[0] as string] as FirstValue<R>;
}
