/**
 * The injection corpus of issue 2 (acceptance 7) and reliability anchor B2: payloads gathered
 * from the injection advisories of TypeORM, Kysely, Sequelize, Drizzle and Knex, plus text that
 * looks like each driver's placeholder syntax and quote look-alikes. `canary` is the name of a
 * table the payloads try to drop or empty, so that a payload that reached the parser as code
 * would do visible damage.
 */
export function valuePayloads(canary: string): { readonly label: string; readonly value: string }[] {
  const drop = `DROP TABLE ${canary}`;
  const payloads: Record<string, string> = {
    "quote, drop, comment": `'; ${drop}; --`,
    "quote or 1=1": `' OR '1'='1`,
    "value then quote or": `test' OR '1'='1`,
    "double quote, drop": `"; ${drop}; --`,
    "backtick, drop": `\`; ${drop}; --\``,
    "backslash quote, drop": `\\'; ${drop}; --`,
    "backslash quote or": `\\' OR 1=1 --`,
    "escaped quote (C style)": `\\''; ${drop}; --`,
    "trailing backslash": `abc\\`,
    "lone backslash": "\\",
    "two backslashes": "\\\\",
    "backslash escapes as text": "\\n\\t\\0\\x00\\Z\\%\\_",
    "comment-separated or": `'/**/OR/**/1=1--`,
    "close block comment": `*/ ${drop}; /*`,
    "open block comment": "/*",
    "line comment": "--",
    "hash comment (MySQL)": `' # ${drop}`,
    semicolon: ";",
    "second statement": `x'); DELETE FROM ${canary}; --`,
    "stacked select": "1; SELECT 2; SELECT 3",
    "sleep": `' OR SLEEP(5)--`,
    "postgres cast": "x::text) or 1=1--",
    "postgres dollar quote": `$$; ${drop}; $$`,
    "postgres tagged dollar quote": `$tag$'$tag$; ${drop}; --`,
    "postgres E string": `E'\\''; ${drop}; --`,
    "named placeholder": ":name",
    "named placeholder id": ":id",
    "postgres placeholder": "$1",
    "postgres placeholder cast": "$2::int",
    "question mark": "?",
    "question marks": "??",
    "pyformat": "%s %(name)s",
    "percent and underscore": "100% _sure_ /path/ [x]",
    "like wildcards only": "%_%",
    "modifier letter apostrophe (U+02BC)": `\u02BC OR \u02BC1\u02BC=\u02BC1`,
    "fullwidth apostrophe (U+FF07)": `\uFF07; ${drop}; --`,
    "right single quotation mark (U+2019)": `\u2019 OR 1=1 --`,
    "all quote kinds": `a'b"c\`d\\e\u2018f\u2019g\u201Ch\u201Di`,
    "control characters": "\r\n\t\b\f\v",
    "astral and combining": "🐍 naïve café 𝒳 e\u0301",
    "json-path metacharacters": `$.a[*].**."b"`,
    "many quotes": "'".repeat(1000),
    "very long": `'; ${drop}; -- \\ " \``.repeat(500),
    "empty string": "",
  };
  return Object.entries(payloads).map(([label, value]) => ({ label, value }));
}

/** Payloads with NUL bytes: stored where the database can store them, refused (typed) elsewhere. */
export function nulPayloads(canary: string): { readonly label: string; readonly value: string }[] {
  return [
    { label: "NUL then drop", value: `\u0000'; DROP TABLE ${canary}; --` },
    { label: "NUL inside", value: "a\u0000b" },
    { label: "trailing NUL", value: "abc\u0000" },
  ];
}

/**
 * Hostile table and column names: SQLAlchemy's DifficultParametersTest names and the identifier
 * advisories (Drizzle, Knex): each database must create, fill, query and drop them exactly.
 * They stay within what all four databases accept as a quoted identifier (MariaDB: BMP
 * characters only, no trailing space; PostgreSQL: 63 bytes).
 */
export const IDENTIFIER_PAYLOADS: readonly string[] = [
  `a"b`,
  "a`b",
  "a'b",
  "a\\b",
  `a""b`,
  "a``b",
  "has spaces",
  "per % cent",
  "par(ens)",
  "col:ons",
  ":name",
  "$1",
  "q?marks",
  "dot.s",
  "[BracketsAndCase]",
  "42numbers",
  "/slashes/",
  "-- comment",
  "semi;colon",
  `"; DROP TABLE x; --`,
  "`; DROP TABLE x; --",
  "select",
  "order",
  "Ünïcødé",
];
