import type { ReferentialAction } from "../../schema/foreign-key.ts";
import { asBoolean, asNumber, asString, asText } from "../catalog-values.ts";
import type { CatalogQuery, DialectReflector } from "../dialect-reflector.ts";
import { quoteIdentifier } from "../../compiler/identifiers.ts";
import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "../reflected.ts";
import { parseCreateIndex, parseCreateTable, type CreateTableClauses } from "./sqlite-create-table.ts";
import { sqliteTypeFromName } from "./sqlite-type-from-name.ts";

/** SQLite's hidden-column codes in `table_xinfo`: 1 a virtual table's, 2 and 3 generated columns. */
const HIDDEN_VIRTUAL_TABLE = 1;
const GENERATED_STORED = 3;

/**
 * SQLite: the table-valued PRAGMA functions (`pragma_table_xinfo(?, ?)`, `pragma_foreign_key_list`,
 * `pragma_index_list`, `pragma_index_info`), which take the table and schema as bound values,
 * plus the `CREATE TABLE` / `CREATE INDEX` text in `sqlite_master` for what the PRAGMAs do not
 * report: constraint names, CHECK conditions, generated column and index expressions, partial
 * index predicates. SQLite has no comments.
 */
export class SqliteReflector implements DialectReflector {
  async getSchemaNames(query: CatalogQuery): Promise<string[]> {
    const rows = await query("SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq", []);
    return rows.map((r) => asString(r["name"]));
  }

  async getTableNames(query: CatalogQuery, schema: string | undefined): Promise<string[]> {
    const rows = await query(
      `SELECT name FROM ${master(schema)} WHERE type = 'table' AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name`,
      [],
    );
    return rows.map((r) => asString(r["name"]));
  }

  async getColumns(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedColumn[]> {
    const rows = await query(
      'SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?) ORDER BY cid',
      [table, schemaName(schema)],
    );
    const clauses = await this.#clauses(query, table, schema);
    const primaryKeyCount = rows.filter((r) => asNumber(r["pk"]) > 0).length;
    return rows
      .filter((r) => asNumber(r["hidden"]) !== HIDDEN_VIRTUAL_TABLE)
      .map((r) => {
        const name = asString(r["name"]);
        const hidden = asNumber(r["hidden"]);
        // table_xinfo leaves "GENERATED ALWAYS" in a generated column's declared type.
        const declared = asString(r["type"]).replace(/\bGENERATED\b|\bALWAYS\b/gi, "").trim();
        const expression = clauses.generated.get(name);
        // Only a lone INTEGER PRIMARY KEY aliases the rowid, which SQLite fills in (and which
        // cannot be NULL, whatever the declaration says).
        const rowid = primaryKeyCount === 1 && asNumber(r["pk"]) === 1 && declared.toUpperCase() === "INTEGER";
        return {
          name,
          type: sqliteTypeFromName(declared),
          typeName: declared,
          nullable: !rowid && !asBoolean(r["not_null"]),
          default: asText(r["dflt_value"]),
          autoincrement: rowid,
          comment: null,
          ...(hidden > HIDDEN_VIRTUAL_TABLE && expression !== undefined
            ? { computed: { sqltext: expression, persisted: hidden === GENERATED_STORED } }
            : {}),
        };
      });
  }

  async getPkConstraint(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedPrimaryKeyConstraint> {
    const rows = await query("SELECT name, pk FROM pragma_table_info(?, ?) WHERE pk > 0 ORDER BY pk", [table, schemaName(schema)]);
    const clauses = await this.#clauses(query, table, schema);
    return { name: rows.length > 0 ? clauses.primaryKeyName : null, constrainedColumns: rows.map((r) => asString(r["name"])) };
  }

  async getForeignKeys(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedForeignKeyConstraint[]> {
    const rows = await query(
      'SELECT id, "table" AS referred_table, "from" AS from_column, "to" AS to_column, on_update, on_delete ' +
        "FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq",
      [table, schemaName(schema)],
    );
    const clauses = await this.#clauses(query, table, schema);
    const byId = new Map<number, typeof rows[number][]>();
    for (const row of rows) byId.set(asNumber(row["id"]), [...(byId.get(asNumber(row["id"])) ?? []), row]);
    const foreignKeys: ReflectedForeignKeyConstraint[] = [];
    // SQLite numbers foreign keys last-declared first; reversed, they come in declaration order.
    for (const parts of [...byId.values()].reverse()) {
      const first = parts[0]!;
      const referredTable = asString(first["referred_table"]);
      const constrained = parts.map((p) => asString(p["from_column"]));
      // `REFERENCES t` without columns means t's primary key.
      const referred = parts.every((p) => asText(p["to_column"]) !== null)
        ? parts.map((p) => asString(p["to_column"]))
        : (await this.getPkConstraint(query, referredTable, schema)).constrainedColumns;
      foreignKeys.push({
        name: clauses.foreignKeys.find((fk) => sameColumns(fk.columns, constrained))?.name ?? null,
        constrainedColumns: constrained,
        referredSchema: schema ?? null,
        referredTable,
        referredColumns: [...referred],
        options: { ...action("ondelete", first["on_delete"]), ...action("onupdate", first["on_update"]) },
      });
    }
    return foreignKeys;
  }

  async getIndexes(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedIndex[]> {
    // origin 'c': made by CREATE INDEX; 'u' and 'pk' are the automatic indexes of constraints.
    const list = await query(
      "SELECT name, \"unique\" AS is_unique, partial FROM pragma_index_list(?, ?) WHERE origin = 'c' ORDER BY name",
      [table, schemaName(schema)],
    );
    const indexes: ReflectedIndex[] = [];
    for (const entry of list) {
      const name = asString(entry["name"]);
      const columnNames = await this.#indexColumns(query, name, schema);
      const partial = asBoolean(entry["partial"]);
      const needsSql = partial || columnNames.includes(null);
      const parsed = needsSql ? parseCreateIndex(await this.#sqlOf(query, "index", name, schema)) : undefined;
      indexes.push({
        name,
        columnNames,
        ...(columnNames.includes(null) && parsed ? { expressions: parsed.parts } : {}),
        unique: asBoolean(entry["is_unique"]),
        dialectOptions: partial && parsed?.where ? { sqliteWhere: parsed.where } : {},
      });
    }
    return indexes;
  }

  async getUniqueConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedUniqueConstraint[]> {
    const list = await query("SELECT name FROM pragma_index_list(?, ?) WHERE origin = 'u' ORDER BY seq DESC", [table, schemaName(schema)]);
    const clauses = await this.#clauses(query, table, schema);
    const uniques: ReflectedUniqueConstraint[] = [];
    for (const entry of list) {
      const columns = (await this.#indexColumns(query, asString(entry["name"]), schema)).filter((c): c is string => c !== null);
      uniques.push({ name: clauses.uniques.find((u) => sameColumns(u.columns, columns))?.name ?? null, columnNames: columns });
    }
    return uniques;
  }

  async getCheckConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedCheckConstraint[]> {
    return (await this.#clauses(query, table, schema)).checks.map((c) => ({ name: c.name, sqltext: c.sqltext }));
  }

  async getTableComment(): Promise<ReflectedTableComment> {
    return { text: null };
  }

  async #indexColumns(query: CatalogQuery, index: string, schema: string | undefined): Promise<(string | null)[]> {
    const rows = await query("SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno", [index, schemaName(schema)]);
    return rows.map((r) => asText(r["name"]));
  }

  async #clauses(query: CatalogQuery, table: string, schema: string | undefined): Promise<CreateTableClauses> {
    return parseCreateTable(await this.#sqlOf(query, "table", table, schema));
  }

  async #sqlOf(query: CatalogQuery, type: "table" | "index", name: string, schema: string | undefined): Promise<string> {
    const rows = await query(`SELECT sql FROM ${master(schema)} WHERE type = ? AND name = ?`, [type, name]);
    return asString(rows[0]?.["sql"]);
  }
}

function schemaName(schema: string | undefined): string {
  return schema ?? "main";
}

function master(schema: string | undefined): string {
  return `${quoteIdentifier(schemaName(schema), '"')}.sqlite_master`;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c, i) => c.toLowerCase() === b[i]?.toLowerCase());
}

/** `{ ondelete: "CASCADE" }`, or nothing for SQLite's default NO ACTION. */
function action(key: "ondelete" | "onupdate", value: unknown): Record<string, ReferentialAction> {
  const text = asString(value).toUpperCase();
  return text === "" || text === "NO ACTION" ? {} : { [key]: text as ReferentialAction };
}
