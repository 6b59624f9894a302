import type { TableColumn } from "../../core/schema/column.ts";
import type { TableArg } from "../../core/schema/table-options.ts";
import type { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { ColumnKeys, ModelSpec } from "../mapping/model-types.ts";
import type { PolymorphicLoad } from "../mapper/inheritance.ts";

/** The table columns of a model declaration, by attribute key (what a `tableArgs` function receives). */
export type ModelTableColumns<S extends ModelSpec> = {
  readonly [K in ColumnKeys<S>]: S[K] extends MappedColumnSpec<infer T> ? TableColumn<T, K> : never;
};

/** The value type of the column attribute `K` of a declaration. */
type ColumnValueOf<S extends ModelSpec, K extends keyof S> = S[K] extends MappedColumnSpec<infer T> ? T : never;

/**
 * Options of a model, the third argument of `Base.model(tableName, spec, options)`: the table's
 * (SQLAlchemy's `__table_args__`) and the mapper's (`__mapper_args__`).
 */
export interface ModelOptions<S extends ModelSpec = ModelSpec, K extends ColumnKeys<S> = ColumnKeys<S>, D extends ColumnKeys<S> = ColumnKeys<S>> {
  /**
   * The table's constraints, indexes and options (SQLAlchemy's `__table_args__`), as `new Table(…)`
   * takes them after its columns; a function of the columns builds expressions over them.
   * Constraints name columns by attribute key.
   *
   * ```ts
   * class Account extends Base.model("accounts", {
   *   id: mappedColumn(Integer, { primaryKey: true }),
   *   tenantId: mappedColumn(Integer, { name: "tenant_id", nullable: false }),
   *   email: mappedColumn(StringType(200), { nullable: false, comment: "login" }),
   *   balance: mappedColumn(Integer, { nullable: false }),
   * }, {
   *   tableArgs: [
   *     new UniqueConstraint(["tenantId", "email"], { name: "uq_accounts_tenant_email" }),
   *     (c) => new CheckConstraint(c.balance.ge(0), { name: "ck_accounts_balance" }),
   *     (c) => new Index("ix_accounts_lower_email", [func.lower(c.email)]),
   *     { comment: "one row per login" },
   *   ],
   * }) {}
   * // CREATE TABLE "accounts" (…, CONSTRAINT "uq_accounts_tenant_email" UNIQUE ("tenant_id", "email"),
   * //   CONSTRAINT "ck_accounts_balance" CHECK ("balance" >= 0))
   * // CREATE INDEX "ix_accounts_lower_email" ON "accounts" (lower("email"))
   * ```
   */
  readonly tableArgs?: readonly TableArg<ModelTableColumns<S>>[];
  /**
   * Optimistic locking (SQLAlchemy's `version_id_col`): the column attribute holding the row's
   * version. An INSERT gives it a first version; each UPDATE writes the next one and, as each
   * DELETE, only matches the row while it still holds the version the object was loaded with.
   * A row changed or deleted by someone else since then matches nothing, and the flush raises
   * `StaleDataError` naming the object.
   *
   * ```ts
   * class Thing extends Base.model("things", {
   *   id: mappedColumn(Integer, { primaryKey: true }),
   *   name: mappedColumn(StringType(50)),
   *   version: mappedColumn(Integer, { nullable: false }),
   * }, { versionIdCol: "version" }) {}
   * // INSERT INTO "things" ("id", "name", "version") VALUES (?, ?, ?)          -- version 1
   * // UPDATE "things" SET "name"=?, "version"=? WHERE "things"."id" = ? AND "things"."version" = ?
   * // DELETE FROM "things" WHERE "things"."id" = ? AND "things"."version" = ?
   * ```
   */
  readonly versionIdCol?: K;
  /**
   * How the next version is made (SQLAlchemy's `version_id_generator`): by default a counter
   * (`(current ?? 0) + 1`, starting at 1); a function of the current version (`null` for a new
   * row) for any other kind, such as `() => crypto.randomUUID()`; or `false` when the database
   * makes it (PostgreSQL's `xmin`, a trigger): the UPDATE then does not set the column, and the
   * new version is read back after each INSERT and UPDATE, by RETURNING where the database has
   * it, else by a SELECT. With `false`, setting the attribute yourself writes that value.
   *
   * ```ts
   * class Doc extends Base.model("docs", {
   *   id: mappedColumn(Integer, { primaryKey: true }),
   *   xmin: mappedColumn(StringType(), { system: true }),
   * }, { versionIdCol: "xmin", versionIdGenerator: false }) {}
   * // UPDATE "docs" SET "title"=$1 WHERE "docs"."id" = $2 AND "docs"."xmin" = $3 RETURNING "docs"."xmin"
   * ```
   */
  readonly versionIdGenerator?: ((current: ColumnValueOf<S, K> | null) => ColumnValueOf<S, K>) | false;
  /**
   * The discriminator column of an inheritance hierarchy (SQLAlchemy's `polymorphic_on`), on its
   * base: each row's value there names its class (`polymorphicIdentity` of the class, or of a
   * subclass declared with `Model.subclass(…)`).
   *
   * ```ts
   * class Employee extends Base.model("employees", {
   *   id: mappedColumn(Integer, { primaryKey: true }),
   *   name: mappedColumn(StringType(50)),
   *   type: mappedColumn(StringType(20)),
   * }, { polymorphicOn: "type", polymorphicIdentity: "employee" }) {}
   * ```
   */
  readonly polymorphicOn?: D;
  /** This class's discriminator value (SQLAlchemy's `polymorphic_identity`); see `polymorphicOn`. */
  readonly polymorphicIdentity?: unknown;
  /** How a base query loads this class's own columns; see `SubclassOptions.polymorphicLoad`. */
  readonly polymorphicLoad?: PolymorphicLoad;
}
