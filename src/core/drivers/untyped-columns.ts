import type { ExecuteOptions } from "./driver.ts";

/** A client library's reader for one database type's text form. */
export type TextParser = (value: string) => unknown;

/**
 * For each result column, the client library's parser when the statement left that column untyped
 * (`ExecuteOptions.untypedColumns`) and the library parses its type; `undefined` when no column
 * needs one. Built once per result, from the columns' type ids, so rows only pay an index lookup.
 */
export function untypedColumnParsers(
  untyped: ExecuteOptions["untypedColumns"],
  typeIds: readonly number[],
  parserFor: (typeId: number) => TextParser | undefined,
): (TextParser | undefined)[] | undefined {
  if (untyped === undefined) return undefined;
  let any = false;
  const parsers = typeIds.map((typeId, index) => {
    if (untyped !== true && untyped[index] !== true) return undefined;
    const parser = parserFor(typeId);
    if (parser !== undefined) any = true;
    return parser;
  });
  return any ? parsers : undefined;
}

/** Parses the untyped columns of text-format rows in place; nulls stay null. */
export function parseUntypedColumns(rows: readonly unknown[][], parsers: readonly (TextParser | undefined)[]): void {
  const columns: [index: number, parse: TextParser][] = [];
  parsers.forEach((parse, index) => {
    if (parse !== undefined) columns.push([index, parse]);
  });
  for (const row of rows) {
    for (const [index, parse] of columns) {
      const value = row[index];
      if (value !== null && value !== undefined) row[index] = parse(value as string);
    }
  }
}
