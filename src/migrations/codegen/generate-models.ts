import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import { inspect } from "../../core/reflection/inspector.ts";
import { type CodegenOptions, readCodegenSchema } from "./codegen-schema.ts";
import { renderModels } from "./render-models.ts";

/**
 * Reflects the database and returns the TypeScript model module for it (sqlacodegen):
 *
 * ```ts
 * const source = await generateModels(engine, { tables: ["orgs", "users"] });
 * await writeFile("src/models.ts", source);
 * ```
 * `module` is the specifier the generated file imports from (`"tsalchemy"` by default).
 */
export async function generateModels(engine: AsyncEngine, options: CodegenOptions & { module?: string } = {}): Promise<string> {
  // One connection for every catalog query (as `metadata.reflect()`), not one per inspector call.
  const conn = await engine.connect();
  let tables;
  try {
    tables = await readCodegenSchema(inspect(conn), options);
  } finally {
    await conn.close();
  }
  return renderModels(tables, { ...(options.schema === undefined ? {} : { schema: options.schema }), ...(options.module === undefined ? {} : { module: options.module }) });
}
