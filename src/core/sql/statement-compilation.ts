import { InvalidRequestError } from "../../shared/errors.ts";
import type { StatementNode } from "./nodes.ts";

/** The dialects a statement can be compiled for by name. */
export type DialectName = "sqlite" | "postgresql" | "mysql";

/**
 * A dialect to compile for: its name, or a dialect object (`engine.dialect`, `new PostgresqlDialect()`).
 * Typed by shape here, since statements know no dialects.
 */
export type DialectRef = DialectName | { readonly name: DialectName };

/** Options of `statement.compile()`. */
export interface CompileOptions {
  /** The dialect whose SQL to write; without one, a generic SQL with `:name` placeholders. */
  readonly dialect?: DialectRef;
  /**
   * Write bound values into the SQL as literals (SQLAlchemy's `literal_binds`), for display and
   * debugging only: statements are never executed this way.
   */
  readonly literalBinds?: boolean;
}

/**
 * A statement compiled for display (SQLAlchemy's `Compiled`): its SQL and its parameters in
 * placeholder order. `String(compiled)` is the SQL.
 */
export interface CompiledSql {
  readonly sql: string;
  /** The bound values in placeholder order, as given (before the dialect converts them); empty with `literalBinds`. */
  readonly params: readonly unknown[];
  toString(): string;
}

type StatementCompiler = (node: StatementNode, options: CompileOptions) => CompiledSql;

let installed: StatementCompiler | undefined;

/**
 * Sets the function behind `statement.compile()`. Statements sit below the compiler and the
 * dialects, so the package entry (`src/index.ts`), which sees both, installs it.
 */
export function installStatementCompiler(compiler: StatementCompiler): void {
  installed = compiler;
}

/** `statement.compile(options)`: the statement's SQL and parameters, for display. */
export function compileStatement(node: StatementNode, options: CompileOptions = {}): CompiledSql {
  if (installed === undefined) {
    throw new InvalidRequestError("statement.compile() needs the package entry loaded: import from \"tsalchemy\"");
  }
  return installed(node, options);
}
