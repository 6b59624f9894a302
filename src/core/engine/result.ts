import { InvalidRequestError } from "../../shared/errors.ts";
import { FilteredResult } from "./filtered-result.ts";
import { MappingResult, type RowMapping } from "./mapping-result.ts";
import { ResultRows, rowSlice } from "./result-rows.ts";
import { rowIdentity } from "./row-identity.ts";
import { ScalarResult } from "./scalar-result.ts";

export { MappingResult, type RowMapping } from "./mapping-result.ts";
export { ScalarResult } from "./scalar-result.ts";

/** The first value of a row: element 0 of an ORM tuple row, or the (single) column of an object row. */
export type FirstValue<R> = R extends readonly [infer F, ...unknown[]] ? F : R[keyof R];

/** What `tuples()` hands out: ORM rows as they are, Core rows as their values in key order. */
export type TupleOf<R> = R extends readonly unknown[] ? R : unknown[];

/** What a statement reported besides its rows. */
export interface ResultMeta {
  /**
   * Result column keys, in order: a Core row's property names; for an ORM row the keys of its
   * elements (an entity by its class name, a column by its key or label, as SQLAlchemy keys them).
   */
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

/**
 * The buffered rows of one statement, typed `R`: objects keyed by column for Core statements,
 * tuples for ORM selects (`[User, Organization]`, each element also readable by key: `row.User`).
 * Like SQLAlchemy's `Result`, fetching consumes: `all()` and `fetchmany()` read rows, after which
 * fetches return nothing; `first()`, `one()`, `scalar()` and friends take what they need and close
 * the result, after which fetches raise `ResourceClosedError`.
 *
 * ```ts
 * const result = await conn.execute(select(users.c.id, users.c.name));
 * result.all();          // [{ id: 1, name: "ann" }, …]
 * result.all();          // [] (read to its end, not closed)
 * ```
 */
export class Result<R> extends FilteredResult<R> {
  readonly meta: ResultMeta;

  constructor(rows: R[], meta: ResultMeta);
  /** @internal A view over rows another result holds (`unique()`). */
  constructor(rows: ResultRows<R>, meta: ResultMeta, unique: boolean);
  constructor(rows: R[] | ResultRows<R>, meta: ResultMeta, unique = false) {
    super(rows instanceof ResultRows ? rows : new ResultRows(rows, undefined, meta.keys, meta.uniqueRequired === true), unique);
    this.meta = meta;
  }

  /**
   * @internal A result of one column given by its values: `scalars()` hands them over as they
   * are, and rows (one-element tuples) are only built if asked for. ORM selects of one entity
   * (`select(User)`) take this path, so that 10,000 loaded users are not 10,000 tuples as well.
   */
  static ofColumn<R>(values: unknown[], meta: ResultMeta): Result<R> {
    return new Result<R>(new ResultRows<R>(undefined, values, meta.keys, meta.uniqueRequired === true), meta, false);
  }

  /**
   * @internal The rows of several results one after the other, unread (a statement a sharded
   * session ran on several shards); rows affected are summed.
   */
  static concat<R>(results: readonly Result<R>[]): Result<R> {
    const first = results[0];
    if (first === undefined) throw new RangeError("Result.concat() needs at least one result");
    const rows = results.flatMap((r) => r.#cursor.rows.slice(r.#cursor.position));
    return new Result(rows, { ...first.meta, rowsAffected: results.reduce((sum, r) => sum + r.rowsAffected, 0), lastInsertId: undefined });
  }

  /**
   * @internal The remaining rows, or the values of a one-column result (`column`), as they are and
   * without the unique() check: an async result takes them over.
   */
  takeRemaining(): { values: unknown[]; column: boolean } {
    const cursor = this.#cursor;
    cursor.checkOpen();
    const columnValues = cursor.column;
    const all: unknown[] = columnValues ?? cursor.rows;
    const values = rowSlice(all, cursor.position);
    cursor.position = all.length;
    return { values, column: columnValues !== undefined };
  }

  get #cursor(): ResultRows<R> {
    return this.cursor as ResultRows<R>;
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

  /** The next row, or `null` when none is left (SQLAlchemy's `fetchone()`). */
  fetchone(): R | null {
    return this.nextItem();
  }

  /** The first column of the first row, or `null` when there is no row; then closes the result. */
  scalar(): FirstValue<R> | null {
    const row = this.first();
    return row === null ? null : this.#firstValue(row);
  }

  /** The first column of exactly one row; then closes the result. */
  scalarOne(): FirstValue<R> {
    return this.#firstValue(this.one());
  }

  /** The first column of one row or `null`; then closes the result. */
  scalarOneOrNone(): FirstValue<R> | null {
    const row = this.oneOrNone();
    return row === null ? null : this.#firstValue(row);
  }

  /**
   * The first column of each row, or the column `key` (a key, or an index into ORM tuple rows), as
   * a `ScalarResult` reading this result's rows.
   */
  scalars(): ScalarResult<FirstValue<R>>;
  scalars<K extends keyof R>(key: K): ScalarResult<R[K]>;
  scalars(key?: keyof R): ScalarResult<unknown> {
    return new ScalarResult(this.cursor, this.#columnKey(key), this.isUnique);
  }

  /**
   * The remaining rows without repeats (ORM rows compare their entities by identity, other rows
   * by value), keeping the first of each. Needed before fetching the rows of a joined eager
   * collection: `(await session.execute(stmt)).unique().scalars().all()`.
   */
  unique(): Result<R> {
    return new Result(this.#cursor, this.meta, true);
  }

  /**
   * The rows as objects by key (SQLAlchemy's `mappings()`): Core rows as they are; ORM rows keyed
   * as SQLAlchemy keys them, an entity by its class name, a column by its key or label
   * (`select(User, User.name)` → `{ User: user, name: "ann" }`).
   */
  mappings(): MappingResult<RowMapping<R>> {
    return new MappingResult(this.cursor, this.isUnique);
  }

  /**
   * The rows as tuples (SQLAlchemy's `tuples()`): ORM rows already are, and this is the same
   * result; Core rows become their values in key order, in a result reading this one's rows.
   */
  tuples(): Result<TupleOf<R>> {
    if (this.#cursor.tupleRows || this.#cursor.length === 0) return this as unknown as Result<TupleOf<R>>;
    return new TupleResult(this.#cursor as ResultRows<never>, this.meta, this.isUnique) as unknown as Result<TupleOf<R>>;
  }

  protected override item(index: number): R {
    return this.#cursor.rows[index] as R;
  }

  protected override items(start: number, end: number): R[] {
    return rowSlice(this.#cursor.rows, start, end);
  }

  protected override identity(item: R): unknown {
    return rowIdentity(item);
  }

  /** The first value of a row: element 0 of a tuple (by index: a key may be shadowed by an array member), else its first key. */
  #firstValue(row: R): FirstValue<R> {
    return (Array.isArray(row) ? row[0] : (row as Record<string, unknown>)[this.meta.keys[0] as string]) as FirstValue<R>;
  }

  /** Where `scalars(key)` reads: an index into tuple rows, a key of object rows. */
  #columnKey(key: keyof R | undefined): number | string {
    const keys = this.meta.keys;
    if (!this.#cursor.tupleRows) {
      if (key === undefined) return keys[0] as string;
      if (typeof key === "number") return checkedKey(keys[key], key);
      return key as string;
    }
    if (key === undefined) return 0;
    if (typeof key === "number") return key;
    const index = keys.indexOf(key as string);
    if (index >= 0) return index;
    if (typeof key === "string" && /^\d+$/.test(key)) return Number(key);
    return checkedKey(undefined, key);
  }
}

function checkedKey(found: string | undefined, asked: PropertyKey): string {
  if (found === undefined) throw new InvalidRequestError(`Could not locate column in row for column '${String(asked)}'`);
  return found;
}

/** `tuples()` of Core rows: each object row as its values in key order. */
class TupleResult extends Result<unknown[]> {
  override unique(): Result<unknown[]> {
    return new TupleResult(this.cursor as ResultRows<never>, this.meta, true);
  }

  protected override item(index: number): unknown[] {
    const row = this.cursor.rows[index] as Record<string, unknown>;
    return this.meta.keys.map((key) => row[key]);
  }

  protected override items(start: number, end: number): unknown[][] {
    const out = new Array<unknown[]>(end - start);
    for (let i = start; i < end; i++) out[i - start] = this.item(i);
    return out;
  }
}
