import { FilteredResult } from "./filtered-result.ts";
import { type ResultRows, rowSlice } from "./result-rows.ts";

/**
 * One value per row: `result.scalars()` (SQLAlchemy's `ScalarResult`). It reads the rows of the
 * result it came from, so what it fetches the result no longer has, and closing either closes both.
 *
 * ```ts
 * const users = (await session.execute(select(User))).scalars().all();
 * ```
 */
export class ScalarResult<T> extends FilteredResult<T> {
  /** The element (tuple rows) or key (object rows) the values are read from. */
  readonly #key: number | string;

  /** @internal Made by `Result.scalars()`. */
  constructor(cursor: ResultRows<unknown>, key: number | string, unique: boolean) {
    super(cursor, unique);
    this.#key = key;
  }

  /** The remaining values without repeats (by identity), keeping the first of each. */
  unique(): ScalarResult<T> {
    return new ScalarResult<T>(this.cursor, this.#key, true);
  }

  protected override item(index: number): T {
    const column = this.cursor.column;
    if (column !== undefined && this.#key === 0) return column[index] as T;
    return (this.cursor.rows[index] as Record<number | string, T>)[this.#key] as T;
  }

  protected override items(start: number, end: number): T[] {
    const column = this.cursor.column;
    // One entity's instances, handed over as they are: no copy when nothing was read before.
    if (column !== undefined && this.#key === 0) return rowSlice(column, start, end) as T[];
    const rows = this.cursor.rows as Record<number | string, T>[];
    const key = this.#key;
    const out = new Array<T>(end - start);
    for (let i = start; i < end; i++) out[i - start] = (rows[i] as Record<number | string, T>)[key] as T;
    return out;
  }

  protected override identity(item: T): unknown {
    return item;
  }
}
