import type { Dialect } from "../../core/dialects/dialect.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { Column } from "../../core/schema/column.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import { Table } from "../../core/schema/table.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { insert } from "../../core/sql/insert.ts";
import { update } from "../../core/sql/update.ts";
import { StringType } from "../../core/types/type-constructors.ts";
import type { VersionChange } from "../graph/version-heads.ts";
import { literalSql } from "../operations/column-ddl.ts";

/** The default name of the version table (Alembic's `alembic_version`). */
export const DEFAULT_VERSION_TABLE = "tsalchemy_version";

/**
 * The table recording which revisions the database is at: one `version_num` row per head
 * (several while branches are unmerged), as Alembic's `alembic_version`.
 *
 * ```sql
 * CREATE TABLE IF NOT EXISTS "tsalchemy_version" (
 *   "version_num" VARCHAR(32) NOT NULL,
 *   CONSTRAINT "tsalchemy_version_pkc" PRIMARY KEY ("version_num")
 * )
 * ```
 */
export class VersionTable {
  readonly dialect: Dialect;
  readonly name: string;
  readonly schema: string | undefined;
  readonly #table: Table<{ version_num: ReturnType<typeof versionColumn> }>;

  constructor(dialect: Dialect, name: string = DEFAULT_VERSION_TABLE, schema?: string) {
    this.dialect = dialect;
    this.name = name;
    this.schema = schema;
    this.#table = new Table(name, new MetaData(), { version_num: versionColumn() }, ...(schema === undefined ? [] : [{ schema }]));
  }

  /** `CREATE TABLE IF NOT EXISTS …` (all three databases have IF NOT EXISTS). */
  createSql(): string {
    const q = (s: string): string => this.dialect.compiler.quote(s);
    return (
      `CREATE TABLE IF NOT EXISTS ${this.#qualified()} (\n` +
      `  ${q("version_num")} VARCHAR(32) NOT NULL,\n` +
      `  CONSTRAINT ${q(`${this.name}_pkc`)} PRIMARY KEY (${q("version_num")})\n)`
    );
  }

  /** Creates the table if missing (in the connection's transaction). */
  async ensure(conn: AsyncConnection): Promise<void> {
    await conn.execDriverSql(this.createSql());
  }

  /** The revisions recorded, sorted; none when the table does not exist. */
  async heads(conn: AsyncConnection): Promise<string[]> {
    const exists = this.dialect.tableExistsQuery(this.name, this.schema);
    if ((await conn.execDriverSql(exists.sql, exists.params)).rows.length === 0) return [];
    const result = await conn.execDriverSql(`SELECT ${this.dialect.compiler.quote("version_num")} FROM ${this.#qualified()}`);
    return result.rows.map((row) => String(row[0])).sort();
  }

  /** Applies changes with bound values. */
  async apply(conn: AsyncConnection, changes: readonly VersionChange[]): Promise<void> {
    const t = this.#table;
    for (const change of changes) {
      if (change.kind === "insert") await conn.execute(insert(t).values({ version_num: change.id }));
      else if (change.kind === "update") await conn.execute(update(t).values({ version_num: change.to }).where(t.c.version_num.eq(change.from)));
      else await conn.execute(delete_(t).where(t.c.version_num.eq(change.id)));
    }
  }

  /** The same changes as SQL with literal values, for `--sql`. */
  changeSql(changes: readonly VersionChange[]): string[] {
    const q = this.dialect.compiler.quote("version_num");
    const v = (id: string): string => literalSql(this.dialect, id);
    return changes.map((change) => {
      if (change.kind === "insert") return `INSERT INTO ${this.#qualified()} (${q}) VALUES (${v(change.id)})`;
      if (change.kind === "update") return `UPDATE ${this.#qualified()} SET ${q}=${v(change.to)} WHERE ${this.#qualified()}.${q} = ${v(change.from)}`;
      return `DELETE FROM ${this.#qualified()} WHERE ${this.#qualified()}.${q} = ${v(change.id)}`;
    });
  }

  #qualified(): string {
    const q = (s: string): string => this.dialect.compiler.quote(s);
    return this.schema === undefined ? q(this.name) : `${q(this.schema)}.${q(this.name)}`;
  }
}

function versionColumn() {
  return Column(StringType(32), { primaryKey: true });
}
