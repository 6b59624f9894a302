import type { SequenceOptions } from "./identity.ts";

/**
 * A database sequence a column takes its values from (SQLAlchemy's `Sequence`), created before
 * its table and dropped after it. Where the database has sequences (PostgreSQL, MariaDB ≥ 10.3)
 * the column's DDL default draws from it, so every INSERT that omits the column gets the next
 * value (SQLAlchemy's "sequence as server default" form); elsewhere it is ignored, as in
 * SQLAlchemy, and a primary key column is generated the dialect's way.
 *
 * ```ts
 * id: Column(Integer, { primaryKey: true, sequence: new Sequence("order_id_seq", { start: 1000 }) })
 * // CREATE SEQUENCE "order_id_seq" START WITH 1000
 * // PostgreSQL: "id" INTEGER DEFAULT nextval('"order_id_seq"') NOT NULL
 * // MariaDB:    `id` INTEGER NOT NULL DEFAULT (NEXT VALUE FOR `order_id_seq`)
 * ```
 */
export class Sequence {
  readonly kind = "sequence";
  readonly name: string;
  /** Defaults to the column's table's schema. */
  readonly schema: string | undefined;
  readonly options: SequenceOptions;

  constructor(name: string, options: SequenceOptions & { schema?: string } = {}) {
    const { schema, ...rest } = options;
    this.name = name;
    this.schema = schema;
    this.options = Object.freeze(rest);
    Object.freeze(this);
  }
}
