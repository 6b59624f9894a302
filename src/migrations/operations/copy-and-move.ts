import type { Dialect } from "../../core/dialects/dialect.ts";
import type { Table } from "../../core/schema/table.ts";
import { typeSql } from "./column-ddl.ts";
import type { TableAlterOp } from "./migration-op.ts";
import { TableShape } from "./table-shape.ts";

/**
 * The statements that rebuild a table with ops applied, for a database whose ALTER TABLE cannot
 * make the change (SQLite; Alembic's batch "move and copy"):
 *
 * ```sql
 * CREATE TABLE "_tsa_tmp_users" (…the new shape…);
 * INSERT INTO "_tsa_tmp_users" ("id", "email") SELECT "id", CAST("email" AS VARCHAR(200)) FROM "users";
 * DROP TABLE "users";
 * ALTER TABLE "_tsa_tmp_users" RENAME TO "users";
 * CREATE INDEX "ix_users_email" ON "users" ("email");
 * ```
 *
 * Rows keep their values; a column whose type changed is CAST; a new column gets its default.
 * Pure: `current` is the table as it is (reflected, or `copyFrom`).
 */
export function copyAndMove(dialect: Dialect, current: Table, ops: readonly TableAlterOp[]): string[] {
  const shape = new TableShape(current);
  for (const op of ops) shape.apply(op);
  const q = (name: string): string => dialect.compiler.quote(name);
  const qualified = (name: string): string => (shape.schema === undefined ? q(name) : `${q(shape.schema)}.${q(name)}`);
  const temporary = `_tsa_tmp_${shape.name}`;
  const rebuilt = shape.toTable(temporary);
  const ddl = dialect.ddlCompiler;
  const copied = shape.columns.filter((c) => c.copyFrom !== undefined);
  const select = copied.map((c) =>
    c.typeChanged ? `CAST(${q(c.copyFrom!)} AS ${typeSql(dialect, shape.name, shape.schema, c.type)})` : q(c.copyFrom!),
  );
  const final = shape.toTable(shape.name);
  return [
    ...ddl.createTable(rebuilt, new Set()),
    `INSERT INTO ${qualified(temporary)} (${copied.map((c) => q(c.name)).join(", ")}) SELECT ${select.join(", ")} FROM ${qualified(shape.name)}`,
    `DROP TABLE ${qualified(shape.name)}`,
    `ALTER TABLE ${qualified(temporary)} RENAME TO ${q(shape.name)}`,
    ...ddl.createIndexes(final),
  ];
}
