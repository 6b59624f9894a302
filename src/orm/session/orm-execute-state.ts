import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { Result } from "../../core/engine/result.ts";
import { EntitySelect } from "../query/entity-select.ts";
import type { Registered } from "../../shared/listener-registry.ts";
import { type Io, io } from "../../shared/io.ts";
import type { SessionStatementOptions } from "./session-options.ts";
import type { EventSession } from "./session-events.ts";
import { isOrmDml } from "./orm-dml.ts";
import type { SessionEventMap } from "./session-events.ts";

type Run = (statement: Executable<unknown>, params: NamedParams | readonly NamedParams[] | undefined, options: SessionStatementOptions | undefined) => Io<Result<unknown>>;

/**
 * What a `doOrmExecute` listener gets (SQLAlchemy's `ORMExecuteState`): the statement about to run
 * with its parameters and options. Assigning `statement` (or `updateStatement()`) replaces it for
 * the listeners after and for the execution; `invokeStatement()` runs it now (through the listeners
 * after this one), for a listener that returns a result of its own, such as a cache.
 *
 * ```ts
 * listen(session, "doOrmExecute", (state) => {
 *   const select = state.ormSelect;
 *   if (select) state.statement = select.options(withLoaderCriteria(Post, (p) => p.deletedAt.isNull()));
 * });
 * ```
 */
export class OrmExecuteState {
  readonly session: EventSession;
  statement: Executable<unknown>;
  readonly params: NamedParams | readonly NamedParams[] | undefined;
  readonly options: SessionStatementOptions | undefined;
  readonly #listeners: readonly Registered<SessionEventMap["doOrmExecute"]>[];
  readonly #index: number;
  readonly #run: Run;

  constructor(
    session: EventSession,
    statement: Executable<unknown>,
    params: NamedParams | readonly NamedParams[] | undefined,
    options: SessionStatementOptions | undefined,
    listeners: readonly Registered<SessionEventMap["doOrmExecute"]>[],
    index: number,
    run: Run,
  ) {
    this.session = session;
    this.statement = statement;
    this.params = params;
    this.options = options;
    this.#listeners = listeners;
    this.#index = index;
    this.#run = run;
  }

  /** A SELECT (ORM or Core). */
  get isSelect(): boolean {
    const kind = this.statement.node.kind;
    return kind === "select" || kind === "compound-select";
  }

  get isInsert(): boolean {
    return this.statement.node.kind === "insert";
  }

  get isUpdate(): boolean {
    return this.statement.node.kind === "update";
  }

  get isDelete(): boolean {
    return this.statement.node.kind === "delete";
  }

  /** An ORM-enabled statement: `select(User)`, or an insert/update/delete of a model. */
  get isOrmStatement(): boolean {
    return this.statement instanceof EntitySelect || isOrmDml(this.statement);
  }

  /** The statement as an ORM select (to add `.options(…)`), or undefined when it is another kind. */
  get ormSelect(): EntitySelect<readonly unknown[]> | undefined {
    return this.statement instanceof EntitySelect ? (this.statement as EntitySelect<readonly unknown[]>) : undefined;
  }

  /** Replaces the statement (SQLAlchemy's `update_execution_options` sibling; same as assigning `statement`). */
  updateStatement(statement: Executable<unknown>): void {
    this.statement = statement;
  }

  /**
   * Runs the statement now, through the listeners after this one, and returns its result: a
   * promise under `AsyncSession`, the result itself under the synchronous `Session` (whose
   * listeners are synchronous).
   */
  invokeStatement(): Promise<Result<unknown>> {
    const work = runOrmExecute(this.session, this.#listeners, this.#index + 1, this.statement, this.params, this.options, this.#run);
    return this.session.runIo(work) as Promise<Result<unknown>>;
  }
}

/**
 * Runs `doOrmExecute` listeners from `index`, then the statement unless one returned a result:
 * by `last` when given (a stream opens its cursor there), else by `run` (what `invokeStatement` uses).
 */
export function* runOrmExecute<T = Result<unknown>>(
  session: EventSession,
  listeners: readonly Registered<SessionEventMap["doOrmExecute"]>[],
  index: number,
  statement: Executable<unknown>,
  params: NamedParams | readonly NamedParams[] | undefined,
  options: SessionStatementOptions | undefined,
  run: Run,
  last?: (statement: Executable<unknown>) => Io<T>,
): Io<Result<unknown> | T> {
  let current = statement;
  for (let i = index; i < listeners.length; i++) {
    const state = new OrmExecuteState(session, current, params, options, listeners, i, run);
    const returned = yield* io((listeners[i] as Registered<SessionEventMap["doOrmExecute"]>).run(state));
    if (returned instanceof Result) return returned;
    current = state.statement;
  }
  return yield* last !== undefined ? last(current) : run(current, params, options);
}
