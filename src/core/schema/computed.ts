import type { Expression } from "../sql/coercions.ts";

/**
 * A generated column (SQLAlchemy's `Computed`): the database computes its value from the row's
 * other columns; it is never written, and is read back after each INSERT and UPDATE.
 * `persisted`: `true` STORED, `false` VIRTUAL, unset the database's default (STORED on
 * PostgreSQL, where VIRTUAL needs PostgreSQL 18).
 *
 * ```ts
 * total: Column(Integer, { computed: new Computed(literalColumn("price * quantity"), { persisted: true }) })
 * // "total" INTEGER GENERATED ALWAYS AS (price * quantity) STORED
 * ```
 */
export class Computed {
  readonly kind = "computed";
  /** SQL over the table's columns: an expression, or SQL text. */
  readonly sqltext: Expression | string;
  readonly persisted: boolean | undefined;

  constructor(sqltext: Expression | string, options: { persisted?: boolean } = {}) {
    this.sqltext = sqltext;
    this.persisted = options.persisted;
    Object.freeze(this);
  }
}
