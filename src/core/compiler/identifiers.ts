import { ArgumentError } from "../../shared/errors.ts";

/**
 * Quotes an identifier with the dialect's quote character, doubling it inside. An identifier
 * with a NUL character is refused here, where every identifier passes on its way into SQL: no
 * database accepts one, and it would reach the server as a syntax error.
 */
export function quoteIdentifier(identifier: string, quote: '"' | "`"): string {
  if (identifier.includes("\u0000")) {
    throw new ArgumentError(`Identifier ${JSON.stringify(identifier)} contains a NUL character, which no database accepts`);
  }
  return `${quote}${identifier.split(quote).join(quote + quote)}${quote}`;
}

/** A function name written bare: ASCII letters, digits and underscores, not starting with a digit. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words reserved in SQL (and in PostgreSQL, MySQL or SQLite) that would not parse as a function
 * name written bare. The niladic functions (`current_timestamp` …) are rendered before this is
 * asked.
 */
const RESERVED = new Set(
  (
    "all alter analyse analyze and any array as asc asymmetric between both by case cast check collate column " +
    "constraint create cross default deferrable delete desc distinct do drop else end except exists false fetch " +
    "for foreign from full grant group having in index initially inner insert intersect into is join key lateral " +
    "leading left like limit natural not null offset on only or order outer placing primary references returning " +
    "right select set some symmetric table then to trailing true union unique update using values when where window with"
  ).split(" "),
);

/**
 * A function name as SQL: bare when it is a plain identifier that is not a reserved word (so
 * `lower`, `myFunc` and `json_extract` keep the database's case rules), quoted otherwise, as
 * SQLAlchemy quotes a function name that needs it. `func["(SELECT secret FROM t) AS leak, lower"]`
 * therefore names one (non-existent) function instead of reading another table.
 */
export function functionName(name: string, quote: (identifier: string) => string): string {
  return PLAIN_NAME.test(name) && !RESERVED.has(name.toLowerCase()) ? name : quote(name);
}

