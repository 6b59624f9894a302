import type { Inspector } from "../../core/reflection/inspector.ts";
import type {
  ReflectedCheckConstraint,
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
  readonly checkConstraints: readonly ReflectedCheckConstraint[];
}

/** What `tsalchemy codegen` reflects: a schema (or the default one), all its tables or some. */
export interface CodegenOptions {
  readonly schema?: string;
  /** Only these tables (by name); the default is every table of the schema. */
  readonly tables?: readonly string[];
}

/**
 * Reads every table the generator needs through an inspector (sqlacodegen's
 * `metadata.reflect()` step): the requested ones, and those their foreign keys refer to in the
 * same schema (as `metadata.reflect({ only })`), sorted by name so the output is deterministic.
 * A requested table that does not exist raises `NoSuchTableError`.
 *
 * ```ts
 * const tables = await readCodegenSchema(inspect(engine), { tables: ["users"] });   // users, and orgs it refers to
 * ```
 */
export async function readCodegenSchema(inspector: Inspector, options: CodegenOptions = {}): Promise<CodegenTable[]> {
  const { schema } = options;
  const queue = [...(options.tables ?? (await inspector.getTableNames(schema)))];
  const tables = new Map<string, CodegenTable>();
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (tables.has(name)) continue;
    const columns = await inspector.getColumns(name, schema);
    // A key into the generated schema is local to it: the generator qualifies every name alike.
    const foreignKeys = (await inspector.getForeignKeys(name, schema)).map((fk) =>
      fk.referredSchema !== null && fk.referredSchema === schema ? { ...fk, referredSchema: null } : fk,
    );
    tables.set(name, {
      name,
      columns,
      primaryKey: (await inspector.getPkConstraint(name, schema)).constrainedColumns,
      foreignKeys,
      indexes: await inspector.getIndexes(name, schema),
      uniqueConstraints: await inspector.getUniqueConstraints(name, schema),
      checkConstraints: await inspector.getCheckConstraints(name, schema),
    });
    for (const fk of foreignKeys) if (fk.referredSchema === null) queue.push(fk.referredTable);
  }
  return [...tables.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
