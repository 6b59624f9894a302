import { NoSuchTableError } from "../../shared/errors.ts";
import type { MetaData } from "../schema/metadata.ts";
import type { ReflectOptions } from "../schema/table-reflector.ts";
import type { CatalogQuery, DialectReflector } from "./dialect-reflector.ts";
import { readTable, type ReflectedTable } from "./reflected-table.ts";
import { tableFromReflection } from "./table-from-reflection.ts";

/**
 * `metadata.reflect()`: reads the requested tables, then every table their foreign keys refer to
 * (SQLAlchemy's `resolve_fks`), so that joins and `createAll` find each referenced table; tables
 * the `MetaData` already has are left alone. All are read before any `Table` is built, so a
 * failure leaves the `MetaData` unchanged.
 */
export async function reflectTables(
  reflector: DialectReflector,
  query: CatalogQuery,
  metadata: MetaData,
  options: ReflectOptions,
): Promise<void> {
  const schema = options.schema;
  const available = await reflector.getTableNames(query, schema);
  const requested = options.only ?? available;
  const missing = requested.filter((name) => !available.includes(name));
  if (missing.length > 0) {
    throw new NoSuchTableError(
      `Could not reflect: requested table(s) not available in ${schema === undefined ? "the default schema" : `schema "${schema}"`}: ` +
        missing.join(", "),
    );
  }
  const queue: { name: string; schema: string | undefined }[] = requested.map((name) => ({ name, schema }));
  const seen = new Set<string>();
  const tables: ReflectedTable[] = [];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const fullName = next.schema === undefined ? next.name : `${next.schema}.${next.name}`;
    if (seen.has(fullName) || metadata.tables.has(fullName)) continue;
    seen.add(fullName);
    const table = await readTable(reflector, query, next.name, next.schema);
    tables.push(table);
    for (const fk of table.foreignKeys) queue.push({ name: fk.referredTable, schema: fk.referredSchema ?? next.schema });
  }
  for (const table of tables) tableFromReflection(metadata, table);
}
