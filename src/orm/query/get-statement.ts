import type { NamedParams } from "../../core/engine/executable.ts";
import type { Io } from "../../shared/io.ts";
import { bindparam } from "../../core/sql/elements.ts";
import type { LoaderOption } from "../loading/loader-option.ts";
import { type QueryPlan, planEntity } from "../loading/load-plan.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { EntitySelect } from "./entity-select.ts";
import { select } from "./orm-select.ts";

/**
 * `SELECT <entity> FROM <table> WHERE <pk> = :__get_pk_1 …`, the statement behind `get()`,
 * `refresh()`, `merge()` and loading an expired parent's row: built once per mapper with the key
 * as named parameters, so its compilation and its loading plan are reused too (SQLAlchemy caches
 * the `get()` query per mapper as a lambda statement). Run it with `params(identity)`.
 */
export class GetStatement<T extends object = object> {
  readonly statement: EntitySelect<[T]>;
  readonly #names: readonly string[];
  #forUpdate: EntitySelect<[T]> | undefined;

  constructor(mapper: Mapper) {
    // Named after SQLAlchemy's `pk_1`…; distinct enough not to meet a user's bindparam in a loader option.
    this.#names = mapper.primaryKey.map((_, i) => `__get_pk_${i + 1}`);
    const statement = select((mapper.modelClass ?? mapper.base) as never) as unknown as EntitySelect<[T]>;
    this.statement = statement.where(...mapper.primaryKey.map((c, i) => c.column.eq(bindparam(this.#names[i] as string, c.column.type) as never)));
  }

  /** `... FOR UPDATE`, also built once. */
  get forUpdate(): EntitySelect<[T]> {
    this.#forUpdate ??= this.statement.forUpdate();
    return this.#forUpdate;
  }

  /** The named parameters for one key, in `mapper.primaryKey` order. */
  params(identity: readonly unknown[]): NamedParams {
    const params: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) params[this.#names[i] as string] = identity[i];
    return params;
  }
}

const lookups = new WeakMap<Mapper, GetStatement>();

/** The mapper's cached `get()` statement (see `GetStatement`). */
export function getStatement<T extends object>(mapper: Mapper): GetStatement<T> {
  let lookup = lookups.get(mapper);
  if (lookup === undefined) {
    lookup = new GetStatement(mapper);
    lookups.set(mapper, lookup);
  }
  return lookup as GetStatement<T>;
}

export type LoadIdentityOptions = {
  withForUpdate?: boolean;
  options?: readonly LoaderOption[];
  populateExisting: boolean;
  /**
   * The loader options an instance was loaded with (its `loadOptions`): a refresh or the reload of
   * an expired instance runs them again, as SQLAlchemy re-applies a state's `load_options`.
   */
  tree?: LoadTree | undefined;
};

/**
 * The instance of the row with `identity`, or `undefined` when there is none: the mapper's
 * `GetStatement` (locked, or with loader options, as asked) run by `execute` (the session's ORM
 * execution, which autoflushes and hydrates).
 */
export function* loadIdentity(
  mapper: Mapper,
  identity: readonly unknown[],
  how: LoadIdentityOptions,
  execute: (plan: QueryPlan, params: NamedParams, populateExisting: boolean, statement: EntitySelect<readonly unknown[]> | undefined) => Io<unknown[][]>,
): Io<object | undefined> {
  const lookup = getStatement(mapper);
  let statement: EntitySelect<readonly unknown[]> = how.withForUpdate ? lookup.forUpdate : lookup.statement;
  let plan: QueryPlan;
  // `statement` goes along when it is what runs (the session's doOrmExecute may replace it); a
  // reload with an instance's own options runs a plan built from its load tree.
  let runs: EntitySelect<readonly unknown[]> | undefined = statement;
  if (how.options) plan = (statement = statement.options(...(how.options as readonly never[]))).plan;
  else if (how.tree !== undefined && !how.tree.isEmpty) {
    const planned = planEntity(statement.node, mapper, 0, how.tree, []);
    plan = { node: planned.node, elements: [{ kind: "entity", load: planned.load }], requireUnique: planned.requireUnique };
    runs = undefined;
  } else plan = statement.plan;
  if (runs !== undefined) runs = statement;
  return ((yield* execute(plan, lookup.params(identity), how.populateExisting, runs))[0]?.[0] ?? undefined) as object | undefined;
}
