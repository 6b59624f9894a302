import { ArgumentError, InvalidRequestError, MultipleResultsFound, NoResultFound } from "../../shared/errors.ts";
import type { ResultRows } from "./result-rows.ts";

/** @internal Also raised by the ORM's async results. */
export const UNIQUE_REQUIRED =
  "The unique() method must be invoked on this Result, as it contains results that include joined eager loads against collections";

/**
 * The fetch methods every result has (SQLAlchemy's `ResultInternal`): `Result` hands out rows,
 * `ScalarResult` one value per row, `MappingResult` rows as objects by key. Each reads the shared
 * `ResultRows` through `item()`, and may filter repeats (`unique()`).
 */
export abstract class FilteredResult<T> implements Iterable<T>, AsyncIterable<T> {
  /** @internal */
  protected readonly cursor: ResultRows<unknown>;
  /** The identities handed out so far, when `unique()` applies; `undefined` otherwise. */
  readonly #uniques: Set<unknown> | undefined;

  protected constructor(cursor: ResultRows<unknown>, unique: boolean) {
    this.cursor = cursor;
    this.#uniques = unique ? new Set() : undefined;
  }

  /** @internal What this result hands out for row `index`. */
  protected abstract item(index: number): T;

  /** @internal What `unique()` compares items by. */
  protected abstract identity(item: T): unknown;

  /** @internal The items of rows `start` to `end` (overridden where the rows already are the items). */
  protected items(start: number, end: number): T[] {
    const out = new Array<T>(end - start);
    for (let i = start; i < end; i++) out[i - start] = this.item(i);
    return out;
  }

  /** @internal Whether a unique filter applies (views made by `scalars()`/`mappings()` keep it). */
  protected get isUnique(): boolean {
    return this.#uniques !== undefined;
  }

  /**
   * True once the result is closed: by `close()`, or by `first()`, `one()`, `scalar()` and friends.
   * Reading every row does not close it (SQLAlchemy's "soft close"): fetches then return nothing.
   */
  get closed(): boolean {
    return this.cursor.closed;
  }

  /** Closes the result (and the results it shares rows with): every further fetch raises `ResourceClosedError`. */
  close(): void {
    this.cursor.close();
  }

  /** Every remaining item; `[]` once all were read; `ResourceClosedError` once closed. */
  all(): T[] {
    return this.#fetch(Number.POSITIVE_INFINITY);
  }

  /** `all()`, by SQLAlchemy's older name. */
  fetchall(): T[] {
    return this.#fetch(Number.POSITIVE_INFINITY);
  }

  /** The next `size` items (fewer at the end, `[]` once all were read), SQLAlchemy's `fetchmany()`. */
  fetchmany(size: number): T[] {
    return this.#fetch(checkedSize(size));
  }

  /** The remaining items in lists of `size` (the last may be shorter), SQLAlchemy's `partitions()`. */
  *partitions(size: number): Generator<T[], void, undefined> {
    checkedSize(size);
    for (let part = this.fetchmany(size); part.length > 0; part = this.fetchmany(size)) yield part;
  }

  /** The next item, or `null` when none is left; then closes the result (rows not read are discarded). */
  first(): T | null {
    const cursor = this.cursor;
    cursor.checkOpen();
    const item = cursor.position < cursor.length ? this.item(cursor.position) : null;
    cursor.close();
    return item;
  }

  /** Exactly one item, else `NoResultFound` / `MultipleResultsFound`; then closes the result. */
  one(): T {
    return this.#only(true) as T;
  }

  /** One item or `null`; more than one raises `MultipleResultsFound`; then closes the result. */
  oneOrNone(): T | null {
    return this.#only(false);
  }

  /** Items one at a time as the iteration goes: breaking out leaves the rest to the next fetch. */
  [Symbol.iterator](): Iterator<T> {
    return { next: () => this.#next() };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let step = this.#next(); step.done !== true; step = this.#next()) yield step.value;
  }

  /** @internal The next item (or the end), for `fetchone()` and iteration. */
  protected nextItem(): T | null {
    const step = this.#next();
    return step.done === true ? null : step.value;
  }

  #next(): IteratorResult<T, undefined> {
    const cursor = this.cursor;
    cursor.checkOpen();
    const uniques = this.#uniques;
    while (cursor.position < cursor.length) {
      if (uniques === undefined) {
        if (cursor.uniqueRequired) throw new InvalidRequestError(UNIQUE_REQUIRED);
        return { value: this.item(cursor.position++), done: false };
      }
      const item = this.item(cursor.position++);
      const identity = this.identity(item);
      if (uniques.has(identity)) continue;
      uniques.add(identity);
      return { value: item, done: false };
    }
    return { value: undefined, done: true };
  }

  #fetch(limit: number): T[] {
    const cursor = this.cursor;
    cursor.checkOpen();
    const start = cursor.position;
    const end = cursor.length;
    if (start >= end) return [];
    const uniques = this.#uniques;
    if (uniques === undefined) {
      if (cursor.uniqueRequired) throw new InvalidRequestError(UNIQUE_REQUIRED);
      const stop = Math.min(end, start + limit);
      cursor.position = stop;
      return this.items(start, stop);
    }
    const out: T[] = [];
    let i = start;
    for (; i < end && out.length < limit; i++) {
      const item = this.item(i);
      const identity = this.identity(item);
      if (uniques.has(identity)) continue;
      uniques.add(identity);
      out.push(item);
    }
    cursor.position = i;
    return out;
  }

  /**
   * `one()` / `oneOrNone()`: the next item, and whether another follows (with `unique()`, one that
   * differs from it). The result is closed whatever the outcome, as SQLAlchemy's `_only_one_row`.
   */
  #only(required: boolean): T | null {
    const cursor = this.cursor;
    cursor.checkOpen();
    try {
      const start = cursor.position;
      const end = cursor.length;
      if (start >= end) {
        if (required) throw new NoResultFound("No row was found when one was required");
        return null;
      }
      const item = this.item(start);
      let another: boolean;
      if (this.#uniques === undefined) {
        if (cursor.uniqueRequired) throw new InvalidRequestError(UNIQUE_REQUIRED);
        another = end - start > 1;
      } else {
        const identity = this.identity(item);
        another = false;
        for (let i = start + 1; i < end && !another; i++) another = this.identity(this.item(i)) !== identity;
      }
      if (another) {
        throw new MultipleResultsFound(
          required ? "Multiple rows were found when exactly one was required" : "Multiple rows were found when one or none was required",
        );
      }
      return item;
    } finally {
      cursor.close();
    }
  }
}

function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`size must be a whole number ≥ 1 (got ${String(size)})`);
  return size;
}
