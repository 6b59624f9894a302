import type { PgClient, PgDataRow, PgQuery, PgQueryConfig, PgQueryConstructor, PgQueryResult } from "./pg-api.ts";

/** The part of pg's `Query` internals the subclass relies on, checked before it is used. */
interface QueryInternals {
  _result?: { rows?: unknown; fields?: unknown };
  _canceledDueToError?: unknown;
  _checkForMultirow?: () => void;
}

/** The fields pg's `Query` constructor takes from its config that this driver sets (the probe checks it keeps them). */
interface QueryFields {
  text: string;
  values: readonly unknown[];
  name: string | undefined;
  queryMode: "extended" | undefined;
}

/** Given to pg's constructor, which copies its config property by property: nothing to copy. */
const NO_CONFIG = {} as PgQueryConfig;

const subclasses = new WeakMap<PgQueryConstructor, PgQueryConstructor | null>();

/**
 * pg's `Query` with one method changed: each data row is kept as the array of text cells pg's
 * protocol parser already made, instead of being copied into a second array. This driver asks for
 * every value as the server's text (the dialect parses it), so with `rowMode: "array"` and
 * identity parsers pg built a new array per row holding the same strings: 80 bytes a row, 0.8 MB
 * of a 10,000-row read, all of it work for the garbage collector (docs/performance.md).
 * Everything else (named statements, errors, `query_timeout`, several results) stays pg's.
 *
 * A row description likewise only records the columns: pg would also look up a parser per column
 * and build an empty row object for them (`Result.addFields`), which nothing here reads; on a
 * statement that returns one row that was about 8% of the client's time (bench W5).
 *
 * The constructor sets the config's fields itself: pg's copies the whole config through property
 * descriptors (`cloneQueryConfig`), 10% of a one-row statement's client time once the above was
 * gone (bench W5), for fields of which this driver sets four; the type parsers and row mode it
 * would also take serve only pg's row parsing, which this class replaces.
 *
 * The overrides touch pg's own `_result.rows`, `_result.fields`, `_canceledDueToError`,
 * `_checkForMultirow` and the fields `text`, `values`, `name` and `queryMode` (pg 8.12 on), unchanged
 * throughout pg 8; a pg whose `Query` lacks one gets `undefined` here and runs its plain `Query`.
 */
export function textRowsQuery(Query: PgQueryConstructor): PgQueryConstructor | undefined {
  let subclass = subclasses.get(Query);
  if (subclass === undefined) {
    subclass = hasRowInternals(Query) ? defineSubclass(Query) : null;
    subclasses.set(Query, subclass);
  }
  return subclass ?? undefined;
}

function hasRowInternals(Query: PgQueryConstructor): boolean {
  const config: PgQueryConfig = { text: "SELECT 1", values: [1], rowMode: "array", types: { getTypeParser: () => String }, name: "probe", queryMode: "extended" };
  const probe = new Query(config) as PgQuery & QueryInternals & Partial<QueryFields>;
  return (
    probe.text === config.text &&
    probe.values === config.values &&
    probe.name === config.name &&
    probe.queryMode === config.queryMode &&
    Array.isArray(probe._result?.rows) &&
    Array.isArray(probe._result?.fields) &&
    probe._canceledDueToError === false &&
    typeof probe._checkForMultirow === "function" &&
    typeof probe.handleDataRow === "function" &&
    typeof (probe as { handleRowDescription?: unknown }).handleRowDescription === "function"
  );
}

function defineSubclass(Query: PgQueryConstructor): PgQueryConstructor {
  return class TextRowsQuery extends Query {
    constructor(config: PgQueryConfig) {
      super(NO_CONFIG);
      const self = this as unknown as QueryFields;
      self.text = config.text;
      self.values = config.values;
      self.name = config.name;
      self.queryMode = config.queryMode;
    }

    override handleDataRow(message: PgDataRow): void {
      const self = this as unknown as QueryInternals;
      if (self._canceledDueToError) return;
      (self._result?.rows as unknown[]).push(message.fields);
    }

    handleRowDescription(message: { fields: unknown }): void {
      const self = this as unknown as QueryInternals;
      // pg's own starts a new result here when a simple query returns several (PgConnection sends
      // every statement extended, so there is one); kept so pg's result bookkeeping stays its own.
      self._checkForMultirow?.();
      (self._result as { fields: unknown }).fields = message.fields;
    }
  };
}

/** Runs `query` on `client` (pg applies its `query_timeout` to it as to any query) and resolves with its result. */
export function runQuery(client: PgClient, query: PgQuery): Promise<PgQueryResult> {
  return new Promise((resolve, reject) => {
    query.callback = (error, result) => (error ? reject(error) : resolve(result as PgQueryResult));
    client.query(query);
  });
}
