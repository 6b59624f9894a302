/** Bound parameters in one statement: under SQLite's 32,766 and the 65,535 of PostgreSQL and MySQL. */
const MAX_BOUND_PARAMETERS = 30_000;

/**
 * How many rows one multi-row statement takes when each row binds `width` values: at most 1,000
 * (SQLAlchemy's `insertmanyvalues_page_size`), fewer when the rows would bind more than
 * `MAX_BOUND_PARAMETERS` values.
 */
export function maxBatchRows(width: number): number {
  return Math.max(1, Math.min(1000, Math.floor(MAX_BOUND_PARAMETERS / Math.max(1, width))));
}
