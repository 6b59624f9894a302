import type { MetaData } from "./metadata.ts";

/** Which tables `metadata.reflect()` reads. */
export interface ReflectOptions {
  /** The schema to read (PostgreSQL schema, MySQL database, SQLite attached database); the default one otherwise. */
  readonly schema?: string;
  /** Only these tables (and the tables their foreign keys refer to); every table otherwise. */
  readonly only?: readonly string[];
}

/**
 * What `metadata.reflect()` needs: something that reads tables from a database into a
 * `MetaData`. The `Inspector` of `inspect(engine)` is one; the schema layer only knows this shape,
 * since reading a database sits above it (docs/adr/0008-reflection-api.md).
 */
export interface TableReflector {
  reflectInto(metadata: MetaData, options: ReflectOptions): Promise<void>;
}
