import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { inspect } from "../../core/reflection/inspector.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import { compareMetadata, type CompareOptions, type SchemaChange } from "./compare-metadata.ts";

/**
 * Reflects the database (its default schema, the version table left out) and compares it with
 * the models' `MetaData`: the changes `revision --autogenerate` writes and `check` reports.
 */
export async function autogenerateChanges(
  engine: AsyncEngine,
  models: MetaData,
  options: CompareOptions & { versionTable: string },
): Promise<SchemaChange[]> {
  const inspector = inspect(engine);
  const names = (await inspector.getTableNames()).filter((n) => n !== options.versionTable && !n.startsWith("_tsa_tmp_"));
  const database = new MetaData();
  if (names.length > 0) await database.reflect(inspector, { only: names });
  return compareMetadata(engine.dialect, models, database, { ...options, excludeTables: [options.versionTable] });
}
