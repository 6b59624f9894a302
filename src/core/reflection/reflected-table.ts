import type { CatalogQuery, DialectReflector } from "./dialect-reflector.ts";
import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "./reflected.ts";

/** Everything the inspector reports about one table: what `metadata.reflect()` builds a `Table` from. */
export interface ReflectedTable {
  readonly name: string;
  readonly schema: string | undefined;
  readonly columns: readonly ReflectedColumn[];
  readonly primaryKey: ReflectedPrimaryKeyConstraint;
  readonly foreignKeys: readonly ReflectedForeignKeyConstraint[];
  readonly indexes: readonly ReflectedIndex[];
  readonly uniqueConstraints: readonly ReflectedUniqueConstraint[];
  readonly checkConstraints: readonly ReflectedCheckConstraint[];
  readonly comment: ReflectedTableComment;
}

/** Reads one table with every reflector method, in sequence (one connection runs one query at a time). */
export async function readTable(
  reflector: DialectReflector,
  query: CatalogQuery,
  name: string,
  schema: string | undefined,
): Promise<ReflectedTable> {
  return {
    name,
    schema,
    columns: await reflector.getColumns(query, name, schema),
    primaryKey: await reflector.getPkConstraint(query, name, schema),
    foreignKeys: await reflector.getForeignKeys(query, name, schema),
    indexes: await reflector.getIndexes(query, name, schema),
    uniqueConstraints: await reflector.getUniqueConstraints(query, name, schema),
    checkConstraints: await reflector.getCheckConstraints(query, name, schema),
    comment: await reflector.getTableComment(query, name, schema),
  };
}
