import { ResourceClosedError } from "../../shared/errors.ts";
import { asTupleRow, tupleRowPrototype } from "./tuple-row.ts";

/**
 * The buffered rows of one statement and how far they have been read, shared by a `Result` and the
 * views over it (`scalars()`, `mappings()`, `unique()`), as SQLAlchemy's filter results share their
 * result's cursor: what one of them fetches, the others no longer see.
 *
 * Two ends, as in SQLAlchemy 2.0 (`IteratorResult`, `CursorResult`): reading every row
 * (`all()`, `fetchmany()` or iteration reaching the end) leaves the result "soft closed" — it stays
 * open and further fetches return nothing; `close()`, and `first()` / `one()` / `scalar()` and
 * friends (which end with a hard close), make further fetches raise `ResourceClosedError`.
 */
export class ResultRows<R> {
  readonly keys: readonly string[];
  /** Rows repeat entities (a joined eager collection): fetching needs a unique filter. */
  readonly uniqueRequired: boolean;
  /** The index of the next row to hand out. */
  position = 0;
  #rows: R[] | undefined;
  /** The values of a one-column result, held as they are until something asks for rows. */
  #column: unknown[] | undefined;
  #closed = false;

  constructor(rows: R[] | undefined, column: unknown[] | undefined, keys: readonly string[], uniqueRequired: boolean) {
    this.#rows = rows;
    this.#column = column;
    this.keys = keys;
    this.uniqueRequired = uniqueRequired;
  }

  /** How many rows there are, read or not. */
  get length(): number {
    return (this.#column ?? (this.#rows as R[])).length;
  }

  /** The rows; a one-column result builds its one-element rows (with keyed access) on first use. */
  get rows(): R[] {
    if (this.#rows === undefined) {
      const prototype = tupleRowPrototype(this.keys);
      const column = this.#column as unknown[];
      const rows = new Array<R>(column.length);
      for (let i = 0; i < column.length; i++) {
        const row = new Array<unknown>(1);
        row[0] = column[i];
        rows[i] = asTupleRow(row, prototype) as R;
      }
      this.#rows = rows;
    }
    return this.#rows;
  }

  /** The values of a one-column result held as values (`Result.ofColumn`), else `undefined`. */
  get column(): unknown[] | undefined {
    return this.#column;
  }

  /** Rows are tuples (ORM rows) rather than objects keyed by column (Core rows). */
  get tupleRows(): boolean {
    if (this.#column !== undefined) return true;
    const rows = this.#rows as R[];
    return rows.length > 0 && Array.isArray(rows[0]);
  }

  /** Closed by `close()` or a one-row fetch; a result only read to its end is not. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Raises `ResourceClosedError` once the result is closed. */
  checkOpen(): void {
    if (this.#closed) throw new ResourceClosedError("This result object is closed.");
  }

  /** Hard close: the rows are released and every further fetch raises. */
  close(): void {
    this.#closed = true;
    this.position = 0;
    this.#rows = [];
    this.#column = undefined;
  }
}

/** `values[start..end)`, the array itself when that is all of it (a 10,000-row result is not copied). */
export function rowSlice<T>(values: T[], start: number, end = values.length): T[] {
  return start === 0 && end === values.length ? values : values.slice(start, end);
}
