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
 * name written bare. Reserved words that are also called like functions somewhere stay out, since
 * quoting them would name a function that does not exist: MySQL's `LEFT()`, `RIGHT()`,
 * `INSERT()`, `VALUES()`, `DEFAULT()`; PostgreSQL's `ANY()`, `SOME()`, `ALL()`, `ARRAY()`;
 * `EXISTS()`, `CAST()`. The niladic functions (`current_timestamp` …) are rendered before this.
 */
const RESERVED = new Set(
  (
    "alter analyse analyze and as asc asymmetric between both by case check collate column " +
    "constraint create cross deferrable delete desc distinct do drop else end except false fetch " +
    "for foreign from full grant group having in index initially inner intersect into is join key lateral " +
    "leading like limit natural not null offset on only or order outer placing primary references returning " +
    "select set symmetric table then to trailing true union unique update using when where window with"
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

