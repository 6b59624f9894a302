import type { PolymorphicLoad } from "../mapper/inheritance.ts";
import type { AwaitableAttributes, ModelInit, ModelSpec, RequiredInitKeys } from "../mapping/model-types.ts";
import type { ModelAttributes, ModelStatics } from "./model-class-types.ts";
import type { ModelOptions } from "./model-options.ts";

/** A model class, as `subclass()` sees its `this`. */
export type AnyModelClass = abstract new (...init: never[]) => object;

/** The options of a subclass declaration: its discriminator value, how base queries load it, its table's arguments. */
export type SubclassOptions<S extends ModelSpec = ModelSpec> = Pick<ModelOptions<S>, "tableArgs"> & {
  /**
   * The discriminator value of this class (SQLAlchemy's `polymorphic_identity`): written into the
   * base's `polymorphicOn` column of each new instance, and read back to choose the class of each
   * loaded row.
   */
  readonly polymorphicIdentity?: unknown;
  /**
   * How querying a base class loads this class's own columns (SQLAlchemy's `polymorphic_load`):
   * `"inline"` in the base query's SELECT (LEFT OUTER JOIN of the subclass table for joined-table
   * inheritance), `"selectin"` by one more SELECT for the rows of this class. Unset: single-table
   * subclasses load inline, joined-table ones leave their own columns unloaded.
   */
  readonly polymorphicLoad?: PolymorphicLoad;
  /**
   * Concrete-table inheritance (SQLAlchemy's `concrete=True`): the subclass's table holds all of
   * its columns — the parent's redeclared, under the same attribute names — and nothing of it is
   * in the parent's table. Querying the base reads only the base's table unless
   * `withPolymorphic()` names the concrete classes (a UNION ALL of their tables).
   */
  readonly concrete?: boolean;
};

/** Static members of a model class, without its construct signature and prototype. */
type StaticsOf<C> = { [K in Exclude<keyof C, "prototype">]: C[K] };

/** The parent constructor's parameters (`[init?: …]`, or `[init: …]` when it requires keys). */
type ParentArgs<C> = C extends abstract new (...args: infer A) => object ? A : never;

type ParentInit<C> = NonNullable<ParentArgs<C>[0]>;

/** The parent's attribute keys: a subclass that repeats one (a joined key, a concrete table's columns) leaves it as the parent has it. */
type ParentKeys<C> = keyof ParentInit<C> & string;

type SubclassInit<C, S extends ModelSpec> = ParentInit<C> & ModelInit<S, ParentKeys<C>>;

/**
 * The subclass constructor's parameters: the parent's init object and the subclass's own; `init`
 * may be left out only when neither requires a key (see `RequiredInitKeys`).
 */
type SubclassInitArgs<C, S extends ModelSpec> = [] extends ParentArgs<C>
  ? [RequiredInitKeys<S, ParentKeys<C>>] extends [never]
    ? [init?: SubclassInit<C, S>]
    : [init: SubclassInit<C, S>]
  : [init: SubclassInit<C, S>];

/**
 * The class `Parent.subclass(…)` returns: instances are the parent's plus the new attributes (so
 * `instanceof Parent` holds and narrows), statics are the parent's plus the new columns and
 * relationships.
 */
export type SubclassOf<C extends AnyModelClass, S extends ModelSpec> = (new (
  ...init: SubclassInitArgs<C, S>
) => InstanceType<C> & ModelAttributes<S> & AwaitableAttributes<S>) &
  StaticsOf<C> &
  ModelStatics<S>;
