import type { MysqlField } from "./mysql2-api.ts";

const MYSQL_TYPE_FLOAT = 4;
const MYSQL_TYPE_TIME = 11;
/** Fractional-second digits a TIME column can declare; larger `decimals` mean "not fixed". */
const MAX_TIME_DECIMALS = 6;

/**
 * Rewrites the two column types whose raw form differs between mysql2's binary protocol
 * (`execute`) and its text protocol (`query`), so the dialect sees one form whichever path ran:
 * - FLOAT: binary gives the float32 widened (0.1 → 0.10000000149011612); we return the shortest
 *   decimal that reads back as the same float32 (0.1). The text protocol rounds FLOAT to six
 *   significant digits on the server, so values needing seven to nine still differ.
 * - TIME(n): binary trims the fraction ("01:02:03.5"); text pads it to the column's scale
 *   ("01:02:03.500"), which is what we return.
 * Rows are changed in place; results without such columns cost one pass over the fields.
 */
export function normalizeBinaryRows(rows: unknown[][], fields: readonly MysqlField[]): void {
  const fixes: [index: number, fix: (value: unknown) => unknown][] = [];
  fields.forEach((field, index) => {
    if (field.columnType === MYSQL_TYPE_FLOAT) fixes.push([index, shortestFloat32]);
    const decimals = field.decimals ?? 0;
    if (field.columnType === MYSQL_TYPE_TIME && decimals > 0 && decimals <= MAX_TIME_DECIMALS) {
      fixes.push([index, (value) => padTimeFraction(value, decimals)]);
    }
  });
  if (fixes.length === 0) return;
  for (const row of rows) {
    for (const [index, fix] of fixes) {
      if (row[index] !== null) row[index] = fix(row[index]);
    }
  }
}

function shortestFloat32(value: unknown): unknown {
  if (typeof value !== "number" || !Number.isFinite(value)) return value;
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function padTimeFraction(value: unknown, decimals: number): unknown {
  if (typeof value !== "string") return value;
  const [whole, fraction = ""] = value.split(".");
  return `${whole}.${fraction.padEnd(decimals, "0").slice(0, decimals)}`;
}
