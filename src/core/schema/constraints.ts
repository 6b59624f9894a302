import type { Expression } from "../sql/coercions.ts";
import type { ReferentialAction } from "./foreign-key.ts";

/**
 * `UNIQUE (a, b)` over column keys. Without a name, the `uq` naming convention of the table's
 * `MetaData` names it, or else the database does.
 *
 * ```ts
 * new UniqueConstraint(["tenantId", "email"], { name: "uq_users_tenant_email" })
 * // CONSTRAINT "uq_users_tenant_email" UNIQUE ("tenant_id", "email")
 * ```
 */
export class UniqueConstraint {
  readonly kind = "unique";
  readonly columns: readonly string[];
  readonly name: string | undefined;

  constructor(columns: readonly string[], options: { name?: string } = {}) {
    this.columns = Object.freeze([...columns]);
    this.name = options.name;
    Object.freeze(this);
  }
}

/**
 * `CHECK (expr)`. The expression is SQL built from the table's columns (no bound values in DDL:
 * values are written as escaped literals). Named by the `ck` convention when it has no name.
 *
 * ```ts
 * new CheckConstraint(price.ge(0), { name: "price_positive" })
 * // CONSTRAINT "price_positive" CHECK ("price" >= 0)
 * ```
 */
export class CheckConstraint {
  readonly kind = "check";
  readonly condition: Expression<boolean>;
  readonly name: string | undefined;

  constructor(condition: Expression<boolean>, options: { name?: string } = {}) {
    this.condition = condition;
    this.name = options.name;
    Object.freeze(this);
  }
}

/** `PRIMARY KEY (a, b)`: an alternative to marking columns `primaryKey`, for composite keys. */
export class PrimaryKeyConstraint {
  readonly kind = "primary-key";
  readonly columns: readonly string[];
  readonly name: string | undefined;

  constructor(columns: readonly string[], options: { name?: string } = {}) {
    this.columns = Object.freeze([...columns]);
    this.name = options.name;
    Object.freeze(this);
  }
}

/** A multi-column `FOREIGN KEY (a, b) REFERENCES t (x, y)`. */
export class ForeignKeyConstraint {
  readonly kind = "foreign-key";
  readonly columns: readonly string[];
  /** `"table.column"` targets, one per local column. */
  readonly targets: readonly string[];
  readonly name: string | undefined;
  readonly ondelete: ReferentialAction | undefined;
  readonly onupdate: ReferentialAction | undefined;
  readonly useAlter: boolean;

  constructor(
    columns: readonly string[],
    targets: readonly string[],
    options: { name?: string; ondelete?: ReferentialAction; onupdate?: ReferentialAction; useAlter?: boolean } = {},
  ) {
    this.columns = Object.freeze([...columns]);
    this.targets = Object.freeze([...targets]);
    this.name = options.name;
    this.ondelete = options.ondelete;
    this.onupdate = options.onupdate;
    this.useAlter = options.useAlter ?? false;
    Object.freeze(this);
  }

  get targetTable(): string {
    const first = this.targets[0] ?? "";
    return first.slice(0, first.lastIndexOf("."));
  }
}

/** Options of an `Index`; the `<dialect>Where` and `<dialect>Using` ones apply on that dialect only. */
export interface IndexOptions {
  readonly unique?: boolean;
  /** A partial index on PostgreSQL (SQLAlchemy's `postgresql_where`): `CREATE INDEX … WHERE <expr>`. */
  readonly postgresqlWhere?: Expression<boolean>;
  /** A partial index on SQLite (SQLAlchemy's `sqlite_where`). */
  readonly sqliteWhere?: Expression<boolean>;
  /** The index method on PostgreSQL (SQLAlchemy's `postgresql_using`): `"gin"`, `"gist"`, `"brin"`, … */
  readonly postgresqlUsing?: string;
}

/**
 * `CREATE [UNIQUE] INDEX name ON table (…)` over column keys and expressions (a functional
 * index). Without a name (`null`), the `ix` naming convention names it: by default
 * `ix_%(column_0_label)s`, `ix_<table>_<first column>`.
 *
 * ```ts
 * new Index("ix_users_lower_email", [func.lower(users.c.email)], { unique: true })
 * // CREATE UNIQUE INDEX "ix_users_lower_email" ON "users" (lower("email"))
 * new Index(null, ["createdAt"], { postgresqlWhere: literalColumn("deleted_at IS NULL") })
 * // CREATE INDEX "ix_users_created_at" ON "users" ("created_at") WHERE deleted_at IS NULL   -- PostgreSQL
 * ```
 */
export class Index {
  readonly kind = "index";
  /** The name it is created by; `undefined` only before its table applies the naming convention. */
  readonly name: string | undefined;
  /** What it indexes, in order: column keys, and expressions for a functional index. */
  readonly elements: readonly (string | Expression)[];
  /** The column keys among the elements. */
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly postgresqlWhere: Expression<boolean> | undefined;
  readonly sqliteWhere: Expression<boolean> | undefined;
  readonly postgresqlUsing: string | undefined;

  constructor(name: string | null | undefined, elements: readonly (string | Expression)[], options: IndexOptions = {}) {
    this.name = name ?? undefined;
    this.elements = Object.freeze([...elements]);
    this.columns = Object.freeze(elements.filter((e): e is string => typeof e === "string"));
    this.unique = options.unique ?? false;
    this.postgresqlWhere = options.postgresqlWhere;
    this.sqliteWhere = options.sqliteWhere;
    this.postgresqlUsing = options.postgresqlUsing;
    Object.freeze(this);
  }

  /** Whether an element is an expression rather than a column. */
  get isFunctional(): boolean {
    return this.elements.length !== this.columns.length;
  }
}

export type TableConstraint = UniqueConstraint | CheckConstraint | PrimaryKeyConstraint | ForeignKeyConstraint | Index;

/** Rebuilds a constraint with another name (how a table applies its naming convention). */
export function renamed<C extends TableConstraint>(constraint: C, name: string | undefined): C {
  if (name === constraint.name) return constraint;
  switch (constraint.kind) {
    case "unique":
      return new UniqueConstraint(constraint.columns, nameOption(name)) as C;
    case "check":
      return new CheckConstraint(constraint.condition, nameOption(name)) as C;
    case "primary-key":
      return new PrimaryKeyConstraint(constraint.columns, nameOption(name)) as C;
    case "foreign-key":
      return new ForeignKeyConstraint(constraint.columns, constraint.targets, {
        ...nameOption(name),
        ...(constraint.ondelete === undefined ? {} : { ondelete: constraint.ondelete }),
        ...(constraint.onupdate === undefined ? {} : { onupdate: constraint.onupdate }),
        useAlter: constraint.useAlter,
      }) as C;
    case "index":
      return new Index(name, constraint.elements, {
        unique: constraint.unique,
        ...(constraint.postgresqlWhere === undefined ? {} : { postgresqlWhere: constraint.postgresqlWhere }),
        ...(constraint.sqliteWhere === undefined ? {} : { sqliteWhere: constraint.sqliteWhere }),
        ...(constraint.postgresqlUsing === undefined ? {} : { postgresqlUsing: constraint.postgresqlUsing }),
      }) as C;
  }
}

function nameOption(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}
