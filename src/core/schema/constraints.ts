import type { Expression } from "../sql/coercions.ts";
import type { ReferentialAction } from "./foreign-key.ts";

/** `UNIQUE (a, b)` over column keys. */
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

/** `CHECK (expr)`. The expression is SQL built from the table's columns (no bound values in DDL). */
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

/** `CREATE [UNIQUE] INDEX name ON table (columns)`. */
export class Index {
  readonly kind = "index";
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;

  constructor(name: string, columns: readonly string[], options: { unique?: boolean } = {}) {
    this.name = name;
    this.columns = Object.freeze([...columns]);
    this.unique = options.unique ?? false;
    Object.freeze(this);
  }
}

export type TableConstraint = UniqueConstraint | CheckConstraint | PrimaryKeyConstraint | ForeignKeyConstraint | Index;
