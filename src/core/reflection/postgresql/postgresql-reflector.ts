import type { ReferentialAction } from "../../schema/foreign-key.ts";
import { asBoolean, asJson, asString, asText } from "../catalog-values.ts";
import type { CatalogQuery, DialectReflector } from "../dialect-reflector.ts";
import type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedForeignKeyConstraint,
  ReflectedIdentity,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "../reflected.ts";
import { postgresqlTypeFromName } from "./postgresql-type-from-name.ts";

/** The table's `pg_class` row, in `schema` or the current one: `$1` table, `$2` schema (or null). */
const TABLE =
  "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
  "WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')";

/** A constraint's key columns (`conkey`, or `confkey` for the referred side) in key order, as JSON. */
const keyColumns = (keys: "conkey" | "confkey", relation: "conrelid" | "confrelid"): string =>
  `(SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.${keys}) WITH ORDINALITY AS k(attnum, ord) ` +
  `JOIN pg_catalog.pg_attribute a ON a.attrelid = con.${relation} AND a.attnum = k.attnum)`;

const ACTIONS: Readonly<Record<string, ReferentialAction>> = { c: "CASCADE", n: "SET NULL", d: "SET DEFAULT", r: "RESTRICT" };

/**
 * PostgreSQL from `pg_catalog`, as SQLAlchemy's dialect reads it: `pg_attribute` with
 * `format_type()`, `pg_attrdef` and `attidentity` / `attgenerated` for columns, `pg_constraint`
 * for keys and checks, `pg_index` with `pg_get_indexdef()` per key part and
 * `pg_get_expr(indpred)` for indexes, `col_description` / `obj_description` for comments.
 */
export class PostgresqlReflector implements DialectReflector {
  async getSchemaNames(query: CatalogQuery): Promise<string[]> {
    const rows = await query(
      "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname",
      [],
    );
    return rows.map((r) => asString(r["nspname"]));
  }

  async getTableNames(query: CatalogQuery, schema: string | undefined): Promise<string[]> {
    const rows = await query(
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = coalesce($1, current_schema()) AND c.relkind IN ('r', 'p') ORDER BY c.relname",
      [schema ?? null],
    );
    return rows.map((r) => asString(r["relname"]));
  }

  async getColumns(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedColumn[]> {
    const rows = await query(
      "SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_name, " +
        "CASE WHEN a.attnotnull THEN 1 ELSE 0 END AS not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default_sql, " +
        "a.attidentity AS identity, a.attgenerated AS generated, pg_catalog.col_description(c.oid, a.attnum) AS comment, " +
        "CASE WHEN t.typtype = 'e' THEN t.typname END AS enum_name, " +
        "CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) END AS enum_labels, " +
        "CASE WHEN a.attidentity <> '' THEN (SELECT json_build_object('start', s.seqstart::text, 'increment', s.seqincrement::text, " +
        "'minvalue', s.seqmin::text, 'maxvalue', s.seqmax::text, 'cycle', s.seqcycle, 'cache', s.seqcache::text) " +
        "FROM pg_catalog.pg_sequence s WHERE s.seqrelid = pg_catalog.pg_get_serial_sequence(" +
        "quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname)::regclass) END AS identity_options " +
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid " +
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid " +
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum " +
        "WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') " +
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      [table, schema ?? null],
    );
    return rows.map((r) => {
      const typeName = asString(r["type_name"]);
      const type = postgresqlTypeFromName(typeName, asText(r["enum_name"]), asJson<string[]>(r["enum_labels"]));
      const generated = asString(r["generated"]);
      const identity = identityOf(asString(r["identity"]), asJson<Record<string, string | boolean>>(r["identity_options"]));
      const defaultSql = asText(r["default_sql"]);
      const isInteger = ["integer", "bigint", "smallint"].includes(type.kind);
      return {
        name: asString(r["name"]),
        type,
        typeName,
        nullable: !asBoolean(r["not_null"]),
        // A generated column's expression is in pg_attrdef too; it is reported as `computed` only.
        default: generated === "" ? defaultSql : null,
        autoincrement: identity !== undefined || (isInteger && defaultSql !== null && /^nextval\(/i.test(defaultSql)),
        comment: asText(r["comment"]),
        ...(generated !== "" && defaultSql !== null ? { computed: { sqltext: defaultSql, persisted: generated === "s" } } : {}),
        ...(identity === undefined ? {} : { identity }),
      };
    });
  }

  async getPkConstraint(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedPrimaryKeyConstraint> {
    const rows = await this.#constraints(query, "p", table, schema, `${keyColumns("conkey", "conrelid")} AS columns`);
    const row = rows[0];
    return row ? { name: asString(row["conname"]), constrainedColumns: asJson<string[]>(row["columns"]) ?? [] } : { name: null, constrainedColumns: [] };
  }

  async getForeignKeys(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedForeignKeyConstraint[]> {
    const rows = await this.#constraints(
      query,
      "f",
      table,
      schema,
      `${keyColumns("conkey", "conrelid")} AS columns, ${keyColumns("confkey", "confrelid")} AS referred_columns, ` +
        "rc.relname AS referred_table, rn.nspname AS referred_schema, n.nspname AS own_schema, " +
        "con.confdeltype AS on_delete, con.confupdtype AS on_update",
      "JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace",
    );
    return rows.map((r) => {
      const referredSchema = asString(r["referred_schema"]);
      const onDelete = ACTIONS[asString(r["on_delete"])];
      const onUpdate = ACTIONS[asString(r["on_update"])];
      return {
        name: asString(r["conname"]),
        constrainedColumns: asJson<string[]>(r["columns"]) ?? [],
        // As SQLAlchemy: no schema when the referred table is where the inspected one was looked for.
        referredSchema: schema === undefined && referredSchema === asString(r["own_schema"]) ? null : referredSchema,
        referredTable: asString(r["referred_table"]),
        referredColumns: asJson<string[]>(r["referred_columns"]) ?? [],
        options: { ...(onDelete ? { ondelete: onDelete } : {}), ...(onUpdate ? { onupdate: onUpdate } : {}) },
      };
    });
  }

  async getIndexes(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedIndex[]> {
    // indkey is an int2vector (subscripts from 0); a 0 in it is an expression, which
    // pg_get_indexdef(index, position, true) writes out for that one key part.
    const rows = await query(
      "SELECT i.relname AS name, CASE WHEN ix.indisunique THEN 1 ELSE 0 END AS is_unique, " +
        "pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate, " +
        "(SELECT con.conname FROM pg_catalog.pg_constraint con WHERE con.conindid = ix.indexrelid AND con.contype IN ('u', 'x') AND con.conrelid = ix.indrelid) AS constraint_name, " +
        "(SELECT json_agg(json_build_object('column', a.attname, 'expression', pg_catalog.pg_get_indexdef(ix.indexrelid, k.n, true)) ORDER BY k.n) " +
        "FROM generate_series(1, ix.indnkeyatts) AS k(n) LEFT JOIN pg_catalog.pg_attribute a " +
        "ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k.n - 1] AND ix.indkey[k.n - 1] <> 0) AS parts " +
        "FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid " +
        "JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND NOT ix.indisprimary ORDER BY i.relname",
      [table, schema ?? null],
    );
    return rows.map((r) => {
      const parts = asJson<{ column: string | null; expression: string }[]>(r["parts"]) ?? [];
      const columnNames = parts.map((p) => p.column);
      const predicate = asText(r["predicate"]);
      const constraint = asText(r["constraint_name"]);
      return {
        name: asString(r["name"]),
        columnNames,
        ...(columnNames.includes(null) ? { expressions: parts.map((p) => p.expression) } : {}),
        unique: asBoolean(r["is_unique"]),
        ...(constraint === null ? {} : { duplicatesConstraint: constraint }),
        dialectOptions: predicate === null ? {} : { postgresqlWhere: predicate },
      };
    });
  }

  async getUniqueConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedUniqueConstraint[]> {
    const rows = await this.#constraints(query, "u", table, schema, `${keyColumns("conkey", "conrelid")} AS columns`);
    return rows.map((r) => ({ name: asString(r["conname"]), columnNames: asJson<string[]>(r["columns"]) ?? [] }));
  }

  async getCheckConstraints(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedCheckConstraint[]> {
    const rows = await this.#constraints(query, "c", table, schema, "pg_catalog.pg_get_constraintdef(con.oid, true) AS definition");
    return rows.map((r) => ({ name: asString(r["conname"]), sqltext: checkCondition(asString(r["definition"])) }));
  }

  async getTableComment(query: CatalogQuery, table: string, schema: string | undefined): Promise<ReflectedTableComment> {
    const rows = await query(`SELECT pg_catalog.obj_description(c.oid, 'pg_class') AS comment FROM ${TABLE}`, [table, schema ?? null]);
    return { text: asText(rows[0]?.["comment"]) };
  }

  /** The table's constraints of one `contype`, by name, with the extra columns asked for. */
  async #constraints(
    query: CatalogQuery,
    type: "p" | "f" | "u" | "c",
    table: string,
    schema: string | undefined,
    select: string,
    join = "",
  ): Promise<readonly Record<string, unknown>[]> {
    return query(
      `SELECT con.conname, ${select} FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid ` +
        `JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ${join} ` +
        "WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema()) AND con.contype = $3 ORDER BY con.conname",
      [table, schema ?? null, type],
    );
  }
}

/** `CHECK ((price > 0))` → `(price > 0)`, as SQLAlchemy reports it; NOT VALID / NO INHERIT dropped. */
function checkCondition(definition: string): string {
  const match = /^CHECK\s*\((.*)\)(?:\s+NO INHERIT)?(?:\s+NOT VALID)?$/s.exec(definition);
  return match ? match[1]!.trim() : definition;
}

function identityOf(kind: string, options: Record<string, string | boolean> | null): ReflectedIdentity | undefined {
  if (kind === "" || options === null) return undefined;
  const big = (key: string): bigint => BigInt(String(options[key]));
  return {
    always: kind === "a",
    start: big("start"),
    increment: big("increment"),
    minvalue: big("minvalue"),
    maxvalue: big("maxvalue"),
    cycle: options["cycle"] === true,
    cache: big("cache"),
  };
}
