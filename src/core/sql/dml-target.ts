import { ArgumentError } from "../../shared/errors.ts";
import type { Expression } from "./coercions.ts";
import type { DmlColumn, DmlTable } from "./dml-table.ts";
import type { RowOf, SelectArg } from "./select.ts";

/**
 * The protocol by which things that are not tables are the target of INSERT, UPDATE and DELETE:
 * a mapped class stands for its table (SQLAlchemy's `insert(User)`). Keeping it in `sql/` lets
 * Core's builders take a model without importing the ORM; the ORM recognises the statement as
 * ORM-enabled by the target the builder keeps (`statement.target`).
 */
export const DML_TARGET: unique symbol = Symbol.for("tsalchemy.dmlTarget");

/** A table's columns by key, as INSERT and UPDATE see them. */
export type DmlColumns = { readonly [key: string]: DmlColumn<unknown, string> };

/** Something `insert()`, `update()` and `delete_()` accept besides a table: a mapped class. */
export interface DmlTargetable<C extends DmlColumns = DmlColumns> {
  [DML_TARGET](): DmlTable<C>;
}

/** What the SQLAlchemy-style `synchronize_session` option says an ORM UPDATE or DELETE does to the objects in memory. */
export type SynchronizeSession = "auto" | "evaluate" | "fetch" | false;

/** Execution options of an UPDATE or DELETE, read by a session running it (a connection ignores them). */
export interface DmlExecutionOptions {
  /**
   * How a session keeps the objects it holds consistent with an ORM-enabled UPDATE or DELETE:
   * `"evaluate"` applies the criteria to them in memory, `"fetch"` asks the database which rows
   * matched, `false` leaves them as they are; `"auto"` (the default) evaluates when it can and
   * fetches otherwise. See docs/orm-dml.md.
   */
  readonly synchronizeSession?: SynchronizeSession;
}

/** An entity in a RETURNING list: the target given, and the run of returned columns that are its table's. */
export interface ReturningTarget {
  readonly target: DmlTargetable;
  readonly offset: number;
  readonly width: number;
}

/** What a DML builder keeps besides its node: where it came from, for a session to read. */
export interface DmlStatementExtras {
  /** The table or mapped class the statement was built from. */
  readonly target: unknown;
  /** The entities named in `returning()`, in order. */
  readonly returningTargets: readonly ReturningTarget[];
  readonly executionOptions: DmlExecutionOptions;
}

/** What `returning()` accepts: column expressions, tables, or (through a session) a mapped class. */
export type ReturningArg = SelectArg | DmlTargetable;

type HasTarget<A extends readonly unknown[]> = true extends { [I in keyof A]: A[I] extends DmlTargetable ? true : false }[number] ? true : false;

/**
 * The row of `returning(...args)`: with a mapped class among them, a tuple of instances and values
 * (as an ORM select's rows, when a session runs it); otherwise a row keyed by column.
 */
export type ReturningRow<A extends readonly unknown[]> =
  HasTarget<A> extends true
    ? { -readonly [I in keyof A]: A[I] extends abstract new (...args: never[]) => infer O ? O : A[I] extends Expression<infer T> ? T : never }
    : RowOf<A>;

export function isDmlTargetable(value: unknown): value is DmlTargetable {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Partial<DmlTargetable>)[DML_TARGET] === "function";
}

/** The table a DML statement's target stands for: the table itself, or a mapped class's table. */
export function dmlTableOf(target: unknown, where: string): DmlTable {
  if (isDmlTargetable(target)) return target[DML_TARGET]();
  const table = target as Partial<DmlTable> | null | undefined;
  if (table?.node?.kind === "table" && typeof table.c === "object") return table as DmlTable;
  const what = typeof target === "function" ? `the unmapped class ${target.name || "(anonymous)"}` : target === null ? "null" : typeof target;
  throw new ArgumentError(`${where} expects a Table or a mapped class, got ${what}`);
}

/** The extras of a statement built from `target`, before any `returning()` or options. */
export function dmlExtrasOf(target: unknown): DmlStatementExtras {
  return { target, returningTargets: [], executionOptions: {} };
}
