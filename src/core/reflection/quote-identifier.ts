/**
 * An identifier quoted for a catalog query that cannot take it as a bound value (SQLite's
 * `"schema".sqlite_master`): wrapped in `quote`, with that character doubled inside.
 */
export function quoteIdentifier(name: string, quote: '"' | "`"): string {
  return `${quote}${name.split(quote).join(quote + quote)}${quote}`;
}
