import { ArgumentError } from "../../shared/errors.ts";
import type { SqlType } from "../types/sql-type.ts";
import { DateTime, Float, Integer, NullType, StringType } from "../types/type-constructors.ts";
import { ColumnElement } from "./column-element.ts";
import { type Coercible, type Expression, coerceToNode, typeOfValue } from "./coercions.ts";

/** A SQL function call, `name(args…)`; its row key is the function's name (`count`). */
export class FunctionElement<T, N extends string = string> extends ColumnElement<T> {
  readonly name: N;

  constructor(name: N, args: readonly unknown[], type: SqlType<T>) {
    checkFunctionName(name);
    super(
      { kind: "function", name, args: args.map((a) => coerceToNode(a, typeOfValue(a))), type: type as SqlType<unknown> },
      type,
    );
    this.name = name;
  }

  override get rowKey(): N {
    return this.name;
  }
}

type ValueOf<E> = E extends Expression<infer T> ? T : E;

/** The functions `func` knows the result type of; any other name works too, typed `unknown`. */
export interface KnownFunctions {
  /** `count(*)` without an argument, `count(x)` with one. */
  count(expr?: Expression): FunctionElement<number, "count">;
  sum<E extends Expression>(expr: E): FunctionElement<ValueOf<E> | null, "sum">;
  avg(expr: Expression): FunctionElement<number | string | null, "avg">;
  min<E extends Expression>(expr: E): FunctionElement<ValueOf<E> | null, "min">;
  max<E extends Expression>(expr: E): FunctionElement<ValueOf<E> | null, "max">;
  coalesce<E extends Expression>(expr: E, ...rest: readonly Coercible<ValueOf<E>>[]): FunctionElement<ValueOf<E>, "coalesce">;
  lower(expr: Coercible<string | null>): FunctionElement<string, "lower">;
  upper(expr: Coercible<string | null>): FunctionElement<string, "upper">;
  length(expr: Coercible<string | null>): FunctionElement<number, "length">;
  abs<E extends Expression>(expr: E): FunctionElement<ValueOf<E>, "abs">;
  round(expr: Expression, digits?: number): FunctionElement<number, "round">;
  now(): FunctionElement<Date, "now">;
  random(): FunctionElement<number, "random">;
}

export type FuncNamespace = KnownFunctions & {
  readonly [name: string]: (...args: readonly unknown[]) => FunctionElement<unknown>;
};

const KNOWN_TYPES: Record<string, (args: readonly unknown[]) => SqlType<unknown>> = {
  count: () => Integer,
  sum: (a) => typeOfValue(a[0]),
  avg: () => Float,
  min: (a) => typeOfValue(a[0]),
  max: (a) => typeOfValue(a[0]),
  coalesce: (a) => typeOfValue(a[0]),
  lower: () => StringType(),
  upper: () => StringType(),
  length: () => Integer,
  abs: (a) => typeOfValue(a[0]),
  round: () => Float,
  now: () => DateTime({ timezone: true }),
  random: () => Float,
};

/**
 * SQL functions by name: `func.count()`, `func.lower(users.c.name)`, `func.anything(x)`.
 *
 * ```ts
 * select(func.count().label("n")).selectFrom(users)   // SELECT count(*) AS n FROM users
 * ```
 */
export const func: FuncNamespace = new Proxy({} as FuncNamespace, {
  get(_target, name) {
    if (typeof name !== "string") return undefined;
    return (...args: readonly unknown[]) => {
      const type = KNOWN_TYPES[name]?.(args) ?? NullType;
      return new FunctionElement(name, args, type);
    };
  },
});

/**
 * Refuses a function name no quoting makes safe on every dialect: a NUL, or an identifier quote
 * character (`"` on PostgreSQL and SQLite, `` ` `` on MySQL), with `ArgumentError` when the
 * function is built, before any SQL. Other unusual names are quoted by the compiler.
 */
function checkFunctionName(name: string): void {
  if (/[\u0000"`]/.test(name)) {
    throw new ArgumentError(
      `Function name ${JSON.stringify(name)} contains a NUL or an identifier quote character; ` +
        "a SQL function name cannot (use a plain name such as func.lower)",
    );
  }
}
