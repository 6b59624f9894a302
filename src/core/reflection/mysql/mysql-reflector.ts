import type { ReferentialAction } from "../../schema/foreign-key.ts";
import { asNumber, asString, asText } from "../catalog-values.ts";
import type { CatalogQuery, CatalogRow, DialectReflector } from "../dialect-reflector.ts";
import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "../reflected.ts";
import { mysqlTypeFromName } from "./mysql-type-from-name.ts";

/** `?` the schema (null for the current database), `?` the table. */
const IN_TABLE = "TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";

/** MySQL's defaults: NO ACTION and RESTRICT are the same there, and what an unstated action is. */
const DEFAULT_ACTIONS = new Set(["NO ACTION", "RESTRICT"]);

/**
 * MySQL and MariaDB from `information_schema` (COLUMNS, TABLE_CONSTRAINTS, KEY_COLUMN_USAGE,
 * REFERENTIAL_CONSTRAINTS, STATISTICS, CHECK_CONSTRAINTS, TABLES), with the schema and table as
 * bound values. (SQLAlchemy parses `SHOW CREATE TABLE`; the catalog views say the same in rows.)
 * The server is asked once whether it is MariaDB, which differs in three places: its
 * CHECK_CONSTRAINTS has a TABLE_NAME, its JSON is a LONGTEXT with a `json_valid()` CHECK, and
 * it reports string defaults quoted (MySQL 8 leaves them bare).
 */
export class MysqlReflector implements DialectReflector {
  #mariadb: Promise<boolean> | undefined;

  async getSchemaNames(query: CatalogQuery): Promise<string[]> {
    const rows = await query("SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME", []);
    return rows.map((r) => asString(r["name"]));
  }

  async getTableNames(query: CatalogQuery, schema: string | undefined): Promise<string[]> {
    const rows = await query(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES " +
        "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
      [schema ?? null],
    );
    return rows.map((r) => asString(r["name"]));
  }

  async getColumns(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedColumn[]> {
    const mariadb = await this.#isMariadb(query);
    const rows = await query(
      "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS column_type, DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable, " +
        "COLUMN_DEFAULT AS column_default, EXTRA AS extra, COLUMN_COMMENT AS comment, GENERATION_EXPRESSION AS generation_expression " +
        `FROM information_schema.COLUMNS WHERE ${IN_TABLE} ORDER BY ORDINAL_POSITION`,
      [schema ?? null, table],
    );
    const jsonColumns = new Set((await this.#checkRows(query, table, schema)).filter(isJsonCheck).map((c) => asString(c["name"])));
    return rows.map((r) => {
      const name = asString(r["name"]);
      const extra = asString(r["extra"]).toUpperCase();
      const columnType = asString(r["column_type"]);
      const type = mysqlTypeFromName(columnType, jsonColumns.has(name) && asString(r["data_type"]).toLowerCase() === "longtext");
      const generated = /\b(VIRTUAL|STORED|PERSISTENT)\b/.test(extra) && asText(r["generation_expression"]);
      const comment = asString(r["comment"]);
      return {
        name,
        type,
        typeName: columnType,
        nullable: asString(r["is_nullable"]) === "YES",
        default: generated ? null : defaultOf(asText(r["column_default"]), extra, type.kind, mariadb),
        autoincrement: extra.includes("AUTO_INCREMENT"),
        comment: comment === "" ? null : comment,
        ...(generated ? { computed: { sqltext: generated, persisted: /\b(STORED|PERSISTENT)\b/.test(extra) } } : {}),
      };
    });
  }

  /** The name is always PRIMARY, which cannot be chosen, so it is reported as none (null). */
  async getPkConstraint(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedPrimaryKeyConstraint> {
    const rows = await query(
      `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE WHERE ${IN_TABLE} AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
      [schema ?? null, table],
    );
    return { name: null, constrainedColumns: rows.map((r) => asString(r["name"])) };
  }

  async getForeignKeys(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedForeignKeyConstraint[]> {
    const rows = await query(
      "SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_SCHEMA AS referred_schema, " +
        "k.REFERENCED_TABLE_NAME AS referred_table, k.REFERENCED_COLUMN_NAME AS referred_column, k.TABLE_SCHEMA AS own_schema, " +
        "rc.UPDATE_RULE AS on_update, rc.DELETE_RULE AS on_delete FROM information_schema.KEY_COLUMN_USAGE k " +
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA " +
        "AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = k.TABLE_NAME " +
        "WHERE k.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL " +
        "ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      [schema ?? null, table],
    );
    return [...groupBy(rows, "name")].map(([name, parts]) => {
      const first = parts[0]!;
      const referredSchema = asString(first["referred_schema"]);
      return {
        name,
        constrainedColumns: parts.map((p) => asString(p["column_name"])),
        referredSchema: schema === undefined && referredSchema === asString(first["own_schema"]) ? null : referredSchema,
        referredTable: asString(first["referred_table"]),
        referredColumns: parts.map((p) => asString(p["referred_column"])),
        options: { ...action("ondelete", first["on_delete"]), ...action("onupdate", first["on_update"]) },
      };
    });
  }

  async getIndexes(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedIndex[]> {
    // MySQL 8 keeps functional key parts in STATISTICS.EXPRESSION; MariaDB has no such column
    // (nor functional indexes).
    const expression = (await this.#isMariadb(query)) ? "NULL" : "EXPRESSION";
    const rows = await query(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name, ${expression} AS expression ` +
        `FROM information_schema.STATISTICS WHERE ${IN_TABLE} AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
      [schema ?? null, table],
    );
    return [...groupBy(rows, "name")].map(([name, parts]) => {
      const columnNames = parts.map((p) => asText(p["column_name"]));
      const unique = asNumber(parts[0]!["non_unique"]) === 0;
      return {
        name,
        columnNames,
        ...(columnNames.includes(null) ? { expressions: parts.map((p) => asText(p["column_name"]) ?? asString(p["expression"])) } : {}),
        unique,
        // Every unique index is a UNIQUE constraint of the same name in MySQL.
        ...(unique ? { duplicatesConstraint: name } : {}),
        dialectOptions: {},
      };
    });
  }

  async getUniqueConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedUniqueConstraint[]> {
    const rows = await query(
      "SELECT tc.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS column_name FROM information_schema.TABLE_CONSTRAINTS tc " +
        "JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA " +
        "AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND k.TABLE_NAME = tc.TABLE_NAME " +
        "WHERE tc.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'UNIQUE' " +
        "ORDER BY tc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
      [schema ?? null, table],
    );
    return [...groupBy(rows, "name")].map(([name, parts]) => ({ name, columnNames: parts.map((p) => asString(p["column_name"])) }));
  }

  /** MariaDB's JSON checks are left out: they are reported as the column's `Json` type. */
  async getCheckConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedCheckConstraint[]> {
    const rows = await this.#checkRows(query, table, schema);
    return rows.filter((r) => !isJsonCheck(r)).map((r) => ({ name: asString(r["name"]), sqltext: asString(r["clause"]) }));
  }

  async getTableComment(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedTableComment> {
    const rows = await query(`SELECT TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE ${IN_TABLE}`, [schema ?? null, table]);
    const text = asText(rows[0]?.["comment"]);
    return { text: text === "" ? null : text };
  }

  async #checkRows(query: CatalogQuery, table: string, schema: string | undefined): Promise<readonly CatalogRow[]> {
    const sql = (await this.#isMariadb(query))
      ? "SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME"
      : "SELECT cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause FROM information_schema.TABLE_CONSTRAINTS tc " +
        "JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME " +
        "WHERE tc.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY cc.CONSTRAINT_NAME";
    return query(sql, [schema ?? null, table]);
  }

  #isMariadb(query: CatalogQuery): Promise<boolean> {
    this.#mariadb ??= query("SELECT VERSION() AS version", []).then((rows) => /mariadb/i.test(asString(rows[0]?.["version"])));
    return this.#mariadb;
  }
}

/** `CONSTRAINT \`data\` CHECK (json_valid(\`data\`))`: what MariaDB's JSON type adds to its column. */
function isJsonCheck(row: CatalogRow): boolean {
  const name = asString(row["name"]);
  const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(asString(row["clause"]).trim());
  return match !== null && match[1]!.replace(/``/g, "`") === name;
}

/**
 * The default as SQL text. MariaDB writes SQL already (`'draft'`, `NULL`, `current_timestamp()`);
 * MySQL 8 writes a literal string bare unless the default is an expression (DEFAULT_GENERATED).
 */
function defaultOf(value: string | null, extra: string, kind: string, mariadb: boolean): string | null {
  if (value === null || (mariadb && value === "NULL")) return null;
  if (mariadb || extra.includes("DEFAULT_GENERATED") || /^(integer|bigint|smallint|float|numeric|boolean)$/.test(kind)) return value;
  if (/^current_timestamp/i.test(value)) return value;
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function action(key: "ondelete" | "onupdate", value: unknown): Record<string, ReferentialAction> {
  const text = asString(value).toUpperCase();
  return text === "" || DEFAULT_ACTIONS.has(text) ? {} : { [key]: text as ReferentialAction };
}

function groupBy(rows: readonly CatalogRow[], key: string): Map<string, CatalogRow[]> {
  const groups = new Map<string, CatalogRow[]>();
  for (const row of rows) {
    const name = asString(row[key]);
    groups.set(name, [...(groups.get(name) ?? []), row]);
  }
  return groups;
}
