import type { Inspector } from "../../core/reflection/inspector.ts";
import type {
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedUniqueConstraint,
} from "../../core/reflection/reflected.ts";

/** One reflected table, as the code generator reads it: the inspector's reports, gathered. */
export interface CodegenTable {
  readonly name: string;
  readonly columns: readonly ReflectedColumn[];
  /** The primary key's column names in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly ReflectedForeignKeyConstraint[];
  readonly indexes: readonly ReflectedIndex[];
  readonly uniqueConstraints: readonly ReflectedUniqueConstraint[];
}

/** What `tsalchemy codegen` reflects: a schema (or the default one), all its tables or some. */
export interface CodegenOptions {
  readonly schema?: string;
  /** Only these tables (by name); the default is every table of the schema. */
  readonly tables?: readonly string[];
}

/**
 * Reads every table the generator needs through an inspector (sqlacodegen's
 * `metadata.reflect()` step), sorted by name so the output is deterministic.
 *
 * ```ts
 * const tables = await readCodegenSchema(inspect(engine), { tables: ["users", "orgs"] });
 * ```
 */
export async function readCodegenSchema(inspector: Inspector, options: CodegenOptions = {}): Promise<CodegenTable[]> {
  const { schema } = options;
  const names = (await inspector.getTableNames(schema)).filter((name) => options.tables === undefined || options.tables.includes(name));
  const tables: CodegenTable[] = [];
  for (const name of [...names].sort()) {
    tables.push({
      name,
      columns: await inspector.getColumns(name, schema),
      primaryKey: (await inspector.getPkConstraint(name, schema)).constrainedColumns,
      // A key into the generated schema is local to it: the generator qualifies every name alike.
      foreignKeys: (await inspector.getForeignKeys(name, schema)).map((fk) =>
        fk.referredSchema !== null && fk.referredSchema === schema ? { ...fk, referredSchema: null } : fk,
      ),
      indexes: await inspector.getIndexes(name, schema),
      uniqueConstraints: await inspector.getUniqueConstraints(name, schema),
    });
  }
  return tables;
}
