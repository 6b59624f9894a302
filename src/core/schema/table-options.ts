import type { TableConstraint } from "./constraints.ts";

/**
 * Keyword options of a table, given among its constraints (the dict at the end of SQLAlchemy's
 * `__table_args__`).
 *
 * ```ts
 * new Table("users", metadata, { … }, new UniqueConstraint(["email"]), { comment: "people who sign in" })
 * // PostgreSQL: COMMENT ON TABLE "users" IS 'people who sign in'
 * // MySQL:      CREATE TABLE `users` (…) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people who sign in'
 * ```
 */
export interface TableOptions {
  /** The schema (PostgreSQL schema, MySQL database, attached SQLite database); defaults to the MetaData's. */
  readonly schema?: string;
  /** The table's comment (not kept by SQLite, which has no comments). */
  readonly comment?: string;
}

/**
 * One table argument: a constraint or index, the table's options, or a function of the table's
 * columns returning constraints (for expressions over columns, such as a functional index,
 * before the table exists).
 *
 * ```ts
 * (c) => new Index("ix_users_lower_email", [func.lower(c.email)], { unique: true })
 * ```
 */
export type TableArg<C = never> = TableConstraint | TableOptions | ((columns: C) => TableConstraint | readonly TableConstraint[]);
