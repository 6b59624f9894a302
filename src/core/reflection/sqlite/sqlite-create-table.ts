/**
 * What PRAGMA cannot tell about a SQLite table — constraint names, CHECK conditions, generated
 * column expressions — read from the `CREATE TABLE` text SQLite keeps in `sqlite_master`.
 * SQLite keeps the text exactly as written, so this is a small tokenizer (quote- and
 * parenthesis-aware, unlike a regular expression) rather than a SQL parser.
 */

/** The named and CHECK constraints of one CREATE TABLE, each with the columns it covers. */
export interface CreateTableClauses {
  readonly primaryKeyName: string | null;
  readonly uniques: readonly { readonly name: string | null; readonly columns: readonly string[] }[];
  readonly foreignKeys: readonly { readonly name: string | null; readonly columns: readonly string[] }[];
  readonly checks: readonly { readonly name: string | null; readonly sqltext: string }[];
  /** Generated columns' expressions by column name. */
  readonly generated: ReadonlyMap<string, string>;
}

interface Token {
  readonly kind: "word" | "group" | "other";
  /** A word unquoted; a group's inner text. */
  readonly text: string;
}

const TABLE_CONSTRAINT_START = new Set(["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]);

export function parseCreateTable(sql: string): CreateTableClauses {
  const result = emptyClauses();
  const body = tokenize(sql).find((t) => t.kind === "group");
  if (!body) return result;
  for (const clause of splitTopLevel(body.text)) {
    const tokens = tokenize(clause);
    const first = tokens[0];
    if (!first) continue;
    const isTableConstraint = first.kind === "word" && TABLE_CONSTRAINT_START.has(first.text.toUpperCase()) && !isQuoted(clause);
    const column = isTableConstraint ? undefined : first.text;
    readConstraints(isTableConstraint ? tokens : tokens.slice(1), column, result);
  }
  return result;
}

/** Walks one clause's tokens, collecting each constraint with the name a CONSTRAINT gave it. */
function readConstraints(tokens: readonly Token[], column: string | undefined, into: Collected): void {
  let name: string | null = null;
  const word = (i: number): string => (tokens[i]?.kind === "word" ? tokens[i]!.text.toUpperCase() : "");
  const columnsAt = (i: number): string[] =>
    tokens[i]?.kind === "group" ? splitTopLevel(tokens[i]!.text).map((c) => tokenize(c)[0]?.text ?? c) : column ? [column] : [];
  for (let i = 0; i < tokens.length; i++) {
    const w = word(i);
    if (w === "CONSTRAINT") {
      name = tokens[i + 1]?.text ?? null;
      i++;
    } else if (w === "CHECK" && tokens[i + 1]?.kind === "group") {
      into.checks.push({ name, sqltext: tokens[i + 1]!.text.trim() });
      name = null;
      i++;
    } else if (w === "PRIMARY") {
      into.primaryKeyName = name;
      name = null;
    } else if (w === "UNIQUE") {
      into.uniques.push({ name, columns: columnsAt(i + 1) });
      name = null;
    } else if (w === "FOREIGN" && word(i + 1) === "KEY") {
      into.foreignKeys.push({ name, columns: columnsAt(i + 2) });
      name = null;
      i += 2;
    } else if (w === "REFERENCES" && column !== undefined) {
      into.foreignKeys.push({ name, columns: [column] });
      name = null;
    } else if (w === "AS" && column !== undefined && tokens[i + 1]?.kind === "group") {
      into.generated.set(column, tokens[i + 1]!.text.trim());
      i++;
    }
  }
}

type Collected = ReturnType<typeof emptyClauses>;

function emptyClauses() {
  return {
    primaryKeyName: null as string | null,
    uniques: [] as { name: string | null; columns: string[] }[],
    foreignKeys: [] as { name: string | null; columns: string[] }[],
    checks: [] as { name: string | null; sqltext: string }[],
    generated: new Map<string, string>(),
  };
}

function isQuoted(clause: string): boolean {
  return /^\s*["'`[]/.test(clause);
}

/** Splits at commas outside quotes and parentheses. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === "`" || c === "[") i = closingQuote(text, i);
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "") parts.push(last);
  return parts;
}

/** Words (quoted identifiers unquoted), parenthesised groups (inner text) and anything else. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === '"' || c === "`" || c === "[") {
      const end = closingQuote(text, i);
      const close = c === "[" ? "]" : c;
      tokens.push({ kind: "word", text: text.slice(i + 1, end).split(close + close).join(close) });
      i = end + 1;
    } else if (c === "'") {
      const end = closingQuote(text, i);
      tokens.push({ kind: "other", text: text.slice(i, end + 1) });
      i = end + 1;
    } else if (c === "(") {
      const end = closingParenthesis(text, i);
      tokens.push({ kind: "group", text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[\w$]/.test(c)) {
      let j = i;
      while (j < text.length && /[\w$]/.test(text[j]!)) j++;
      tokens.push({ kind: "word", text: text.slice(i, j) });
      i = j;
    } else {
      tokens.push({ kind: "other", text: c });
      i++;
    }
  }
  return tokens;
}

/** The index of the quote closing the one at `start` (a doubled quote is part of the text). */
function closingQuote(text: string, start: number): number {
  const close = text[start] === "[" ? "]" : text[start]!;
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === close) {
      if (close !== "]" && text[i + 1] === close) i += 2;
      else return i;
    } else i++;
  }
  return text.length;
}

/** The index of the parenthesis closing the one at `start`, skipping quoted text. */
export function closingParenthesis(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === "`" || c === "[") i = closingQuote(text, i);
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length;
}

/** The key parts and the WHERE predicate of a `CREATE [UNIQUE] INDEX … ON t (…) [WHERE …]`. */
export function parseCreateIndex(sql: string): { parts: string[]; where: string | null } {
  let open = -1;
  for (let i = 0; i < sql.length && open < 0; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === "`" || c === "[") i = closingQuote(sql, i);
    else if (c === "(") open = i;
  }
  if (open < 0) return { parts: [], where: null };
  const close = closingParenthesis(sql, open);
  const rest = sql.slice(close + 1).trim();
  return {
    parts: splitTopLevel(sql.slice(open + 1, close)),
    where: /^WHERE\s/i.test(rest) ? rest.slice(5).trim() : null,
  };
}
