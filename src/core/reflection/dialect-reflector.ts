import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "./reflected.ts";

/** One catalog row, keyed by the (lower-case) column aliases of the reflection query. */
export type CatalogRow = Readonly<Record<string, unknown>>;

/** Runs one catalog query with positional parameters (in the dialect's placeholder style). */
export type CatalogQuery = (sql: string, params: readonly unknown[]) => Promise<readonly CatalogRow[]>;

/**
 * The catalog queries of one database. Each method takes the query runner, so a reflector holds
 * no connection, and the inspector decides which connection the queries run on. `schema`
 * undefined means the connection's default (`current_schema()`, `DATABASE()`, `main`).
 */
export interface DialectReflector {
  getSchemaNames(query: CatalogQuery): Promise<string[]>;
  getTableNames(query: CatalogQuery, schema: string | undefined): Promise<string[]>;
  getColumns(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedColumn[]>;
  getPkConstraint(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedPrimaryKeyConstraint>;
  getForeignKeys(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedForeignKeyConstraint[]>;
  getIndexes(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedIndex[]>;
  getUniqueConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedUniqueConstraint[]>;
  getCheckConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedCheckConstraint[]>;
  getTableComment(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedTableComment>;
}
