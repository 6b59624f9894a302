import { ArgumentError } from "../../shared/errors.ts";
import type { Dialect, DialectCapabilities } from "../dialects/dialect.ts";
import type { StatementNode } from "../sql/nodes.ts";
import type { CompileOptions, CompiledSql, DialectName, DialectRef } from "../sql/statement-compilation.ts";
import type { BindSlot } from "./cache-key.ts";
import { renderLiteral } from "./literal-renderer.ts";
import { SqlCompiler } from "./sql-compiler.ts";

/**
 * What the generic rendering may write: everything, as SQLAlchemy's default string compiler
 * renders any construct; `:name` placeholders, standard string literals.
 */
const genericCapabilities: DialectCapabilities = Object.freeze({
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  upsert: "on-conflict",
  rowLocking: true,
  fullOuterJoin: true,
  exceptIntersect: true,
  alterAddForeignKey: true,
  nativeInterval: true,
  transactionalDdl: true,
  singleConnection: false,
  textStoresNul: true,
  backslashEscapes: false,
  updateFromValues: "named",
  expressionIndexes: true,
  identityColumns: true,
  sequences: true,
  arrays: true,
  comments: true,
});

/** Placeholder n while compiling for display, replaced afterwards by a name or a literal. */
const marker = (n: number): string => `\u0001${n}\u0001`;
const MARKERS = /\u0001(\d+)\u0001/g;

/**
 * The function behind `statement.compile()` and `String(statement)`, given how to find a dialect
 * by name. With a dialect and no `literalBinds`, the SQL is exactly what the engine executes (the
 * cached compilation); without a dialect, generic SQL with `:name` placeholders (`:param_1` …
 * for anonymous values). `literalBinds` writes each value as the dialect's literal instead.
 *
 * ```ts
 * select(users.c.id).where(users.c.name.eq("ann")).compile().sql
 * // SELECT "users"."id" FROM "users" WHERE "users"."name" = :param_1
 * ```
 */
export function statementDisplayCompiler(dialectNamed: (name: DialectName) => Dialect) {
  const named = new Map<DialectName, Dialect>();
  let generic: SqlCompiler | undefined;
  const dialectOf = (ref: DialectRef | undefined): Dialect | undefined => {
    if (ref === undefined) return undefined;
    if (typeof ref === "string") {
      let dialect = named.get(ref);
      if (dialect === undefined) named.set(ref, (dialect = dialectNamed(ref)));
      return dialect;
    }
    if (!((ref as Partial<Dialect>).compiler instanceof SqlCompiler)) {
      throw new ArgumentError("compile({ dialect }) takes a dialect (engine.dialect, new PostgresqlDialect()) or its name");
    }
    return ref as Dialect;
  };

  return (node: StatementNode, options: CompileOptions): CompiledSql => {
    const dialect = dialectOf(options.dialect);
    if (dialect !== undefined && options.literalBinds !== true) {
      const { compiled, extracted } = dialect.compiler.compile(node);
      return compiledSql(compiled.sql, compiled.slotOrder.map((i) => valueOf(extracted.slots[i])));
    }
    const compiler = dialect?.compiler ?? (generic ??= new SqlCompiler(genericCapabilities));
    const { compiled, extracted } = compiler.compile(node, marker);
    const values = compiled.slotOrder.map((i) => valueOf(extracted.slots[i]));
    if (options.literalBinds !== true) {
      let anonymous = 0;
      const sql = compiled.sql.replace(MARKERS, (_m, n: string) => `:${compiled.paramKeys[Number(n) - 1] ?? `param_${++anonymous}`}`);
      return compiledSql(sql, values);
    }
    const style = dialect?.capabilities ?? genericCapabilities;
    const sql = compiled.sql.replace(MARKERS, (_m, n: string) => {
      const i = Number(n) - 1;
      const type = compiled.paramTypes[i]!;
      const key = compiled.paramKeys[i];
      const value = values[i];
      if (value === undefined && key !== undefined) {
        throw new ArgumentError(`Bind parameter "${key}" has no value to render as a literal; give it one with bindparam(key, type, value)`);
      }
      const process = value === null || value === undefined ? undefined : dialect?.types.bind(type);
      return renderLiteral(process === undefined ? value : process(value), type, style);
    });
    return compiledSql(sql, []);
  };
}

function valueOf(slot: BindSlot | undefined): unknown {
  if (slot === undefined) throw new ArgumentError("internal: a placeholder has no extracted value");
  return slot.kind === "column-default" ? slot.compute() : slot.value;
}

function compiledSql(sql: string, params: readonly unknown[]): CompiledSql {
  const compiled = { sql, params: Object.freeze(params) };
  Object.defineProperty(compiled, "toString", { value: () => sql });
  return Object.freeze(compiled) as CompiledSql;
}
