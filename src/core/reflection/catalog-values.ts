/**
 * Catalog values arrive as each driver parses them: PostgreSQL's as text (`"t"`, `"42"`),
 * MySQL's as numbers or strings, SQLite's as numbers or bigints. These read them one way.
 */

export function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
}

export function asString(value: unknown): string {
  return asText(value) ?? "";
}

export function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n || value === "t" || value === "1" || value === "true";
}

export function asNumber(value: unknown): number {
  return Number(value);
}

/** A JSON array or object the query built with `json_agg` / `JSON_ARRAYAGG` (text on every driver). */
export function asJson<T>(value: unknown): T | null {
  const text = asText(value);
  return text === null ? null : (JSON.parse(text) as T);
}
