import { Select } from "../../core/sql/select.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "../../core/sql/statement-compilation.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { LoaderOption } from "../loading/loader-option.ts";
import type { Loaded } from "../mapping/model-types.ts";
import { type QueryPlan, type StatementOption, planQuery } from "../loading/load-plan.ts";
import type { LoaderCriteriaOption } from "../loading/loader-criteria.ts";
import type { SelectinPolymorphicOption } from "../loading/selectin-polymorphic.ts";
import type { ResultElement } from "../loading/result-layout.ts";
import { ormResultKeys } from "./result-keys.ts";
import type { OuterJoinedRow } from "./outer-joined-row.ts";

export type { ResultElement };

/**
 * The paths the options rooted at `E`'s class (or at no class: wildcards) load or unload for `E`;
 * an option typed only as `LoaderOption<User>` (paths `string`) says nothing.
 */
export type PathsFor<E, O> = O extends { readonly __root: (root: infer Root) => void; readonly __paths: infer P extends string }
  ? E extends Root
    ? string extends P
      ? never
      : P
    : never
  : never;

/** An entity with what these options say about its relationships applied (`Loaded<User, "posts.comments">`). */
export type WithOptions<E, O> = Loaded<E, PathsFor<E, O>>;

/**
 * Row types once options apply: each entity of the row typed with the paths of the options rooted
 * at its class (`Loaded<User, "organization">`), so reading them compiles. `M` marks the places
 * that hold an aliased entity (`aliased(User)`), which loader options do not reach.
 */
export type WithLoaded<R extends readonly unknown[], O, M = readonly false[]> = {
  [I in keyof R]: I extends keyof M ? (M[I] extends true ? R[I] : EntityWithOptions<R[I], O>) : EntityWithOptions<R[I], O>;
};

/** One place of a row with the options applied: to the entity, and to each member of `Entity | null` (an outer-joined one). */
type EntityWithOptions<V, O> = V extends object ? WithOptions<V, O> : V;

/** An option some entity of the row `R` can take: one rooted at its class (or at none); aliased places (`M`) take none. */
export type OptionFor<R extends readonly unknown[], M = readonly false[]> = LoaderCriteriaOption | SelectinPolymorphicOption | LoaderOptionFor<PlainEntities<R, M>>;

type PlainEntities<R extends readonly unknown[], M> = { [I in keyof R]: I extends keyof M ? (M[I] extends true ? never : R[I]) : R[I] }[number];

/** A loader option rooted at `E`'s class (or a wildcard, or untyped): what `session.get(Model, id, { options })` takes. */
export type LoaderOptionFor<E> = E extends object ? LoaderOption<E, string, string, unknown> : never;

/** The type-level function `outerjoin()` applies (see `OuterJoined`): the row with the entities the join can leave empty nullable. */
export interface EntityOuterJoin<R extends readonly unknown[], M extends readonly boolean[]> {
  readonly target: unknown;
  readonly full: boolean;
  readonly result: EntitySelect<OuterJoinedRow<R, M, this["target"], this["full"]>, M>;
}

/** Options that change how an ORM select loads rows into instances. */
export interface OrmExecutionOptions {
  /** Overwrite already-loaded instances from the rows (SQLAlchemy's `populate_existing`). */
  readonly populateExisting?: boolean;
  /**
   * Rows per batch (SQLAlchemy's `yield_per`): `session.stream()` reads the rows from a cursor this
   * many at a time, each batch loaded into instances and its selectin/immediate loads run before it
   * is handed out. Refused with joined eager collections and subquery loads; `unique()` is refused.
   */
  readonly yieldPer?: number;
}

/**
 * A select whose result rows hold entities (`select(User)`, `select(User, Organization)`): the Core
 * select of their columns, plus the layout that turns each row into a tuple of instances and
 * values, and the loader options that say how relationships load.
 *
 * ```ts
 * const users = (await session.execute(select(User).where(User.id.eq(1)))).scalars().all();
 * // SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?
 * ```
 */
export class EntitySelect<R extends readonly unknown[], M extends readonly boolean[] = readonly boolean[]> extends Select<R> {
  /** Phantom: which places of the row hold an aliased entity. */
  declare readonly __aliased: M;
  /** Phantom: the row type after `outerjoin()`. */
  declare readonly __outerJoin: EntityOuterJoin<R, M>;
  readonly layout: readonly ResultElement[];
  readonly executionOptionsValue: OrmExecutionOptions;
  readonly loaderOptions: readonly StatementOption[];
  #plan: QueryPlan | undefined;
  #resultKeys: readonly string[] | undefined;

  constructor(node: SelectNode, layout: readonly ResultElement[], executionOptions: OrmExecutionOptions = {}, loaderOptions: readonly StatementOption[] = []) {
    super(node);
    this.layout = layout;
    this.executionOptionsValue = executionOptions;
    this.loaderOptions = loaderOptions;
  }

  protected override withNode(node: SelectNode): this {
    return new EntitySelect<R>(node, this.layout, this.executionOptionsValue, this.loaderOptions) as this;
  }

  /** Sets ORM execution options, e.g. `{ populateExisting: true }`. */
  executionOptions(options: OrmExecutionOptions): this {
    return new EntitySelect<R>(this.node, this.layout, { ...this.executionOptionsValue, ...options }, this.loaderOptions) as this;
  }

  /**
   * Adds loader options: how this statement loads relationships and columns
   * (`select(User).options(joinedload(User.organization))`), and `withLoaderCriteria()`: criteria
   * for every appearance of an entity in the statement and the loads it leads to.
   */
  options<const O extends readonly OptionFor<R, M>[]>(...options: O): EntitySelect<WithLoaded<R, O[number], M>, M> {
    return new EntitySelect(this.node, this.layout, this.executionOptionsValue, [...this.loaderOptions, ...options]);
  }

  /** @internal The statement with eager joins, and how rows become instances (planned once per statement). */
  get plan(): QueryPlan {
    this.#plan ??= planQuery(this.node, this.layout, this.loaderOptions);
    return this.#plan;
  }

  /** The SQL this select executes, eager joins (`joinedload`) included; see `Select.compile()`. */
  override compile(options?: CompileOptions): CompiledSql {
    return compileStatement(this.plan.node, options);
  }

  /** @internal The result's keys: each row element's, by SQLAlchemy's rules (see `ormResultKeys`). */
  get resultKeys(): readonly string[] {
    this.#resultKeys ??= ormResultKeys(this.layout, this.node);
    return this.#resultKeys;
  }
}
