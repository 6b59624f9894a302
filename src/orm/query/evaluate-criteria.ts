import type { NamedParams } from "../../core/engine/executable.ts";
import type { BinaryNode, Node, TableNode } from "../../core/sql/nodes.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { UNLOADED } from "../state/instance-state.ts";

/** The value of an expression over an instance whose needed attribute is not loaded (SQLAlchemy's `_EXPIRED_OBJECT`). */
export const EXPIRED: unique symbol = Symbol("tsalchemy.expiredObject");

/** An expression compiled to run on an instance's slot values; SQL's NULL is `null`. */
export type Evaluator = (values: readonly unknown[]) => unknown;

/** The expression has a part the evaluator cannot reproduce in memory (a function, a subquery, LIKE …). */
export class UnevaluatableError extends Error {
  override name = "UnevaluatableError";
}

/**
 * Compiles an UPDATE's or DELETE's WHERE clause, or a SET value, into a function of an instance's
 * slot values (SQLAlchemy's `EvaluatorCompiler`, for `synchronize_session="evaluate"`). Pure.
 *
 * It follows SQL's three-valued logic (a comparison with NULL is NULL; only `true` matches), and
 * yields `EXPIRED` when an attribute it needs is not loaded. Comparisons are JavaScript's: a
 * database whose collation ignores case (MySQL's default) can match rows this does not.
 * What it cannot reproduce throws `UnevaluatableError`: functions, casts, subqueries, LIKE,
 * division (integer or not depends on the database), columns of other tables, and named
 * parameters without a value.
 */
export function compileEvaluator(node: Node, mapper: Mapper, params: NamedParams | undefined): Evaluator {
  return new EvaluatorCompiler(mapper, params).compile(node);
}

class EvaluatorCompiler {
  readonly #mapper: Mapper;
  readonly #params: NamedParams | undefined;

  constructor(mapper: Mapper, params: NamedParams | undefined) {
    this.#mapper = mapper;
    this.#params = params;
  }

  compile(node: Node): Evaluator {
    switch (node.kind) {
      case "column":
        return this.#column(node.owner, node.name);
      case "bind": {
        let value = node.value;
        if (node.key !== undefined && this.#params !== undefined && node.key in this.#params) value = this.#params[node.key];
        if (value === undefined) throw new UnevaluatableError(`the parameter "${node.key}" has no value`);
        return () => value;
      }
      case "null":
        return () => null;
      case "boolean": {
        const value = node.value;
        return () => value;
      }
      case "grouping":
        return this.compile(node.element);
      case "label":
        return this.compile(node.element);
      case "binary":
        return this.#binary(node);
      case "unary":
        return this.#unary(node.operator, this.compile(node.operand));
      case "clause-list":
        if (node.operator === ",") break;
        return logical(node.operator, node.clauses.map((c) => this.compile(c)));
      case "in": {
        if (!Array.isArray(node.values)) break;
        const left = this.compile(node.left);
        const values = (node.values as readonly Node[]).map((v) => this.compile(v));
        const negated = node.negated;
        return (row) => {
          const l = left(row);
          if (l === EXPIRED) return EXPIRED;
          if (values.length === 0) return negated;
          if (l === null) return null;
          let sawNull = false;
          let undecided = false;
          for (const value of values) {
            const v = value(row);
            if (v === EXPIRED) return EXPIRED;
            if (v === null) sawNull = true;
            else {
              const c = compare(l, v);
              if (c === 0) return !negated;
              if (c === undefined) undecided = true;
            }
          }
          return undecided ? EXPIRED : sawNull ? null : negated;
        };
      }
      case "between": {
        const operand = this.compile(node.operand);
        const lower = this.compile(node.lower);
        const upper = this.compile(node.upper);
        const negated = node.negated;
        const inRange = logical("AND", [(r) => comparison(">=", operand(r), lower(r)), (r) => comparison("<=", operand(r), upper(r))]);
        return (row) => {
          const result = inRange(row);
          return negated ? not(result) : result;
        };
      }
      default:
        break;
    }
    throw new UnevaluatableError(`${node.kind} expressions cannot be evaluated in memory`);
  }

  #column(owner: Node | undefined, name: string): Evaluator {
    const table: TableNode = this.#mapper.table.node;
    if (owner === undefined || owner.kind !== "table" || owner.name !== table.name || owner.schema !== table.schema) {
      throw new UnevaluatableError(`the column "${name}" is not a column of ${this.#mapper.className}'s table`);
    }
    const property = this.#mapper.columns.find((c) => c.column.name === name);
    if (property === undefined) throw new UnevaluatableError(`the column "${name}" is not mapped`);
    const slot = property.slot;
    return (row) => {
      const value = row[slot];
      return value === UNLOADED ? EXPIRED : value;
    };
  }

  #binary(node: BinaryNode): Evaluator {
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    const operator = node.operator;
    switch (operator) {
      case "=":
      case "<>":
      case "<":
      case "<=":
      case ">":
      case ">=":
        return (row) => comparison(operator, left(row), right(row));
      case "IS":
      case "IS NOT DISTINCT FROM":
      case "IS NOT":
      case "IS DISTINCT FROM": {
        const same = operator === "IS" || operator === "IS NOT DISTINCT FROM";
        return (row) => {
          const l = left(row);
          const r = right(row);
          if (l === EXPIRED || r === EXPIRED) return EXPIRED;
          if (l === null || r === null) return same === (l === r);
          const c = compare(l, r);
          return c === undefined ? EXPIRED : same === (c === 0);
        };
      }
      case "+":
      case "-":
      case "*":
      case "%":
        return (row) => arithmetic(operator, left(row), right(row));
      case "||":
        return (row) => {
          const l = left(row);
          const r = right(row);
          if (l === EXPIRED || r === EXPIRED) return EXPIRED;
          return l === null || r === null ? null : `${String(l)}${String(r)}`;
        };
      case "/":
        break;
    }
    throw new UnevaluatableError(`the operator ${operator} cannot be evaluated in memory`);
  }

  #unary(operator: string, operand: Evaluator): Evaluator {
    switch (operator) {
      case "NOT":
        return (row) => not(operand(row));
      case "IS NULL":
      case "IS NOT NULL": {
        const isNull = operator === "IS NULL";
        return (row) => {
          const v = operand(row);
          return v === EXPIRED ? EXPIRED : (v === null) === isNull;
        };
      }
      case "-":
        return (row) => {
          const v = operand(row);
          return v === EXPIRED || v === null ? v : typeof v === "bigint" ? -v : -(v as number);
        };
    }
    throw new UnevaluatableError(`the operator ${operator} cannot be evaluated in memory`);
  }
}

function not(value: unknown): unknown {
  return value === EXPIRED || value === null ? value : !value;
}

/** AND / OR over SQL's three values (with `EXPIRED` ahead of any answer short of a decisive one). */
function logical(operator: "AND" | "OR", clauses: readonly Evaluator[]): Evaluator {
  const decisive = operator === "OR";
  return (row) => {
    let result: unknown = !decisive;
    for (const clause of clauses) {
      const v = clause(row);
      if (v === decisive) return decisive;
      if (v === EXPIRED) result = EXPIRED;
      else if (v === null && result !== EXPIRED) result = null;
    }
    return result;
  };
}

function comparison(operator: "=" | "<>" | "<" | "<=" | ">" | ">=", l: unknown, r: unknown): unknown {
  if (l === EXPIRED || r === EXPIRED) return EXPIRED;
  if (l === null || r === null) return null;
  const c = compare(l, r);
  if (c === undefined) return EXPIRED;
  switch (operator) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

/**
 * Orders two non-null values: dates by time, a bigint against a number numerically, strings as
 * JavaScript does. `undefined` when they are of different kinds or not ordered in memory (a
 * string against a number, two JSON objects): the database may convert one, so only it can tell.
 */
function compare(l: unknown, r: unknown): number | undefined {
  const a = comparable(l);
  const b = comparable(r);
  if (a === b) return 0;
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) {
    if ((ta !== "bigint" && ta !== "number") || (tb !== "bigint" && tb !== "number")) return undefined;
    const x = Number(a);
    const y = Number(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (ta !== "number" && ta !== "string" && ta !== "bigint") return undefined;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : undefined;
}

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function arithmetic(operator: "+" | "-" | "*" | "%", l: unknown, r: unknown): unknown {
  if (l === EXPIRED || r === EXPIRED) return EXPIRED;
  if (l === null || r === null) return null;
  if (typeof l === "bigint" || typeof r === "bigint") {
    const a = BigInt(l as number);
    const b = BigInt(r as number);
    if (operator === "%" && b === 0n) return null;
    return operator === "+" ? a + b : operator === "-" ? a - b : operator === "*" ? a * b : a % b;
  }
  // Not numbers (a string the database would convert, or not): leave it to the database.
  if (typeof l !== "number" || typeof r !== "number") return EXPIRED;
  return operator === "+" ? l + r : operator === "-" ? l - r : operator === "*" ? l * r : l % r;
}
