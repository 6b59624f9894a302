import { FilteredResult } from "./filtered-result.ts";
import { type ResultRows, rowSlice } from "./result-rows.ts";
import { rowMapping } from "./tuple-row.ts";
import { rowIdentity } from "./row-identity.ts";

/**
 * What `result.mappings()` hands out for rows typed `R`: Core rows already are objects keyed by
 * column; an ORM row (a tuple) becomes an object keyed as SQLAlchemy keys it — an entity by its
 * class name, a column by its key or label.
 */
export type RowMapping<R> = R extends readonly unknown[] ? Readonly<Record<string, unknown>> : R;

/**
 * The rows of a result as objects by key (SQLAlchemy's `MappingResult`). It reads the rows of the
 * result it came from, so what it fetches the result no longer has, and closing either closes both.
 *
 * ```ts
 * for (const row of (await session.execute(select(User, User.name))).mappings()) row.User, row.name;
 * ```
 */
export class MappingResult<M> extends FilteredResult<M> {
  /** Rows are tuples to turn into objects (ORM rows), not objects already (Core rows). */
  readonly #fromTuples: boolean;

  /** @internal Made by `Result.mappings()`. */
  constructor(cursor: ResultRows<unknown>, unique: boolean) {
    super(cursor, unique);
    this.#fromTuples = cursor.tupleRows;
  }

  /** The result's keys: the mappings' keys, in order. */
  keys(): readonly string[] {
    return this.cursor.keys;
  }

  /** The next mapping, or `null` when none is left (SQLAlchemy's `fetchone()`). */
  fetchone(): M | null {
    return this.nextItem();
  }

  /** The remaining mappings without repeats (compared by their values, entities by identity). */
  unique(): MappingResult<M> {
    return new MappingResult<M>(this.cursor, true);
  }

  protected override item(index: number): M {
    const row = this.cursor.rows[index];
    return (this.#fromTuples ? rowMapping(row as readonly unknown[], this.cursor.keys) : row) as M;
  }

  protected override items(start: number, end: number): M[] {
    if (this.#fromTuples) return super.items(start, end);
    return rowSlice(this.cursor.rows, start, end) as M[];
  }

  protected override identity(item: M): unknown {
    return rowIdentity(item);
  }
}
