import { ArgumentError } from "../../shared/errors.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { MappedExpressionRef } from "../mapper/mapped-expression-ref.ts";
import type { Node } from "../../core/sql/nodes.ts";
import type { LoadStrategy } from "../mapping/relationship.ts";
import type { RelatedObject, RelationshipAttributeType } from "../mapping/model-types.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { RelationshipAttribute } from "../mapper/relationship-attribute.ts";

/** What an option says about one relationship along its path. `"default"` keeps the configured strategy. */
export type OptionStrategy = Exclude<LoadStrategy, "write_only"> | "default" | "contains_eager";

/** A relationship attribute as options take it (`User.organization`), typed or not. */
export type RelationshipRef = RelationshipAttributeType<unknown, string, LoadStrategy> | RelationshipAttribute;

/** The class a typed relationship attribute belongs to (its `ModelParent`); `unknown` for an untyped one. */
export type ParentOf<A> = A extends { readonly __parent: (parent: infer P) => void } ? ([P] extends [never] ? unknown : P) : unknown;

/** The key a typed relationship attribute names (`string` for an untyped one). */
export type KeyOf<A> = A extends RelationshipAttributeType<unknown, infer K, LoadStrategy, never> ? K : string;

/** The object type a typed relationship attribute leads to (`Post` for `User.posts`); `unknown` for an untyped one. */
export type TargetOf<A> = A extends { readonly __target: infer T } ? RelatedObject<T> : unknown;

/**
 * A relationship attribute a chain may continue with after reaching `Tip`: one of `Tip`'s class
 * (`selectinload(User.posts).selectinload(Post.comments)`), or any when `Tip` is not known.
 */
export type RelationshipOf<Tip> = unknown extends Tip
  ? RelationshipAttributeType<unknown, string, LoadStrategy, never> | RelationshipAttribute
  : RelationshipAttributeType<unknown, string, LoadStrategy, Tip>;

/** The dot path of `Segment` after the path `At` (`""` at the root): `"posts"`, `"posts.comments"`. */
type PathOf<At extends string, Segment extends string> = At extends "" ? Segment : `${At}.${Segment}`;

/** One step of an option's path: a relationship (or `"*"`: every relationship at that level) and how it loads. */
export interface LoadStep {
  readonly attribute: RelationshipAttribute | "*";
  readonly strategy: OptionStrategy;
  /**
   * joinedload: INNER JOIN instead of LEFT OUTER JOIN (nested inside an outer join above it);
   * "unnested": INNER at the top, LEFT OUTER below an outer join.
   */
  readonly innerjoin?: boolean | "unnested";
  /** raiseload: raise only when the read would need SQL (lazy="raise_on_sql"). */
  readonly sqlOnly?: boolean;
  /**
   * Criteria the relationship was narrowed by (`User.posts.and(…)`), against its target's table:
   * they limit what this path's load of it selects.
   */
  readonly criteria?: readonly Node[];
}

/** Column loading at the end of a path: which columns load with the entity. */
export interface ColumnDirective {
  readonly mode: "loadOnly" | "defer" | "undefer";
  readonly columns: readonly ColumnRef<unknown, string>[];
  /** defer: reading the deferred columns raises instead of needing a load; loadOnly: so does reading the others. */
  readonly raiseload?: boolean;
}

/** `defer(User.bio, { raiseload: true })`: what column options take after their columns. */
export interface ColumnOptionFlags {
  /** Reading a column the option leaves unloaded raises `InvalidRequestError` (SQLAlchemy's `raiseload=True`). */
  readonly raiseload?: boolean;
}

/** The attribute keys of the columns among an option's arguments (`defer(User.bio, { raiseload: true })` → `"bio"`). */
export type ColumnKeysOf<C extends readonly unknown[]> = C[number] extends infer E ? (E extends ColumnRef<unknown, infer K> ? K : never) : never;

/** The option column options make at the end of a path `At`: `Segment` (the columns' keys, marked `!` by defer) added to its paths. */
export type WithColumns<Root, Paths extends string, At extends string, Tip, Segment extends string> = LoaderOption<
  Root,
  Paths | PathOf<At, Segment>,
  At,
  Tip
>;

/** What column options name: a column, or a mapped expression (`columnProperty()`). */
export type ColumnTarget = ColumnRef<unknown, string> | MappedExpressionRef;

/** Columns, optionally followed by flags: the arguments of `defer()` and `loadOnly()`. */
export type ColumnsAndFlags = readonly ColumnTarget[] | readonly [...ColumnTarget[], ColumnOptionFlags];

/** @internal The directive that `mode` with these arguments makes. */
export function columnDirective(mode: ColumnDirective["mode"], args: ColumnsAndFlags): ColumnDirective {
  const last = args[args.length - 1];
  const flags = last !== undefined && !isColumn(last) ? (last as ColumnOptionFlags) : undefined;
  const columns = (flags === undefined ? args : args.slice(0, -1)) as readonly ColumnRef<unknown, string>[];
  if (columns.length === 0) throw new ArgumentError(`${mode}() needs at least one column, such as User.name`);
  return flags?.raiseload ? { mode, columns, raiseload: true } : { mode, columns };
}

function isColumn(value: unknown): boolean {
  return typeof value === "object" && value !== null && "node" in value;
}

/**
 * A loader option: a path of relationship steps, each with its strategy, and column directives
 * at its end. Immutable; chaining returns a longer path, so
 * `selectinload(Organization.users).joinedload(User.posts)` loads organizations → users (selectin)
 * → posts (joined).
 *
 * The type parameters are the option's path tree as `Loaded<>` reads it: `Root`, the class the
 * path starts from (an entity of the statement must be one), `Paths`, the dot paths it loads or
 * unloads (`"posts" | "posts.comments"`, `"!profile"`, `"!*"`), `At`, the path of its last step,
 * and `Tip`, the object type that step leads to, which the next step must start from:
 * `select(User).options(selectinload(User.posts).selectinload(Post.comments))` types
 * `user.posts[0].comments` as loaded.
 */
export class LoaderOption<Root = never, Paths extends string = string, At extends string = string, Tip = unknown> {
  declare readonly __root: (root: Root) => void;
  declare readonly __paths: Paths;
  declare readonly __at: At;
  declare readonly __tip: Tip;
  readonly steps: readonly LoadStep[];
  readonly columns: readonly ColumnDirective[];
  /** For column-only options at the root (`loadOnly(User.name)`): the entity's columns. */
  readonly rootColumns: boolean;
  /** `Load(User)…`: the statement entity the path starts from (otherwise found from its first step). */
  readonly root: Mapper | undefined;

  constructor(steps: readonly LoadStep[], columns: readonly ColumnDirective[] = [], rootColumns = false, root?: Mapper) {
    this.steps = steps;
    this.columns = columns;
    this.rootColumns = rootColumns;
    this.root = root;
    Object.freeze(this);
  }

  /** Continue the path: load `attribute` (on the previous step's target) with a JOIN. */
  joinedload<A extends RelationshipOf<Tip>>(attribute: A, options: { innerjoin?: boolean | "unnested" } = {}): Chained<Root, Paths, At, A, KeyOf<A>> {
    return this.#then(step(attribute, "joined", options));
  }

  /** Continue the path: load `attribute` with one `IN` query per 500 parents. */
  selectinload<A extends RelationshipOf<Tip>>(attribute: A): Chained<Root, Paths, At, A, KeyOf<A>> {
    return this.#then(step(attribute, "selectin"));
  }

  /** Continue the path: load `attribute` by re-running the parent query as a subquery. */
  subqueryload<A extends RelationshipOf<Tip>>(attribute: A): Chained<Root, Paths, At, A, KeyOf<A>> {
    return this.#then(step(attribute, "subquery"));
  }

  /** Continue the path: load `attribute` per parent while the parents load. */
  immediateload<A extends RelationshipOf<Tip>>(attribute: A): Chained<Root, Paths, At, A, KeyOf<A>> {
    return this.#then(step(attribute, "immediate"));
  }

  /** Continue the path: leave `attribute` lazy. */
  lazyload<A extends RelationshipOf<Tip> | "*">(attribute: A): Chained<Root, Paths, At, A, Unloads<A>> {
    return this.#then(wildcardStep(attribute, "select"));
  }

  /** Continue the path: make reading `attribute` (or `"*"`) raise. */
  raiseload<A extends RelationshipOf<Tip> | "*">(attribute: A, options: { sqlOnly?: boolean } = {}): Chained<Root, Paths, At, A, Unloads<A>> {
    return this.#then(raiseStep(attribute, options));
  }

  /** Continue the path: never load `attribute`; it reads as empty. */
  noload<A extends RelationshipOf<Tip> | "*">(attribute: A): Chained<Root, Paths, At, A, Unloads<A>> {
    return this.#then(wildcardStep(attribute, "noload"));
  }

  /** Continue the path through `attribute` keeping its configured strategy. */
  defaultload<A extends RelationshipOf<Tip>>(attribute: A): Chained<Root, Paths, At, A, `${KeyOf<A>}?`> {
    return this.#then(step(attribute, "default"));
  }

  /** Continue the path: `attribute` is populated from a join the statement already has. */
  containsEager<A extends RelationshipOf<Tip>>(attribute: A): Chained<Root, Paths, At, A, KeyOf<A>> {
    return this.#then(containsEagerStep(attribute));
  }

  /** At the end of the path, load only these columns (and the primary key); `{ raiseload: true }`: reading the others raises. */
  loadOnly<const C extends ColumnsAndFlags>(...columns: C): WithColumns<Root, Paths, At, Tip, ColumnKeysOf<C> | "="> {
    return this.#withColumns(columnDirective("loadOnly", columns));
  }

  /** At the end of the path, do not load these columns; `{ raiseload: true }`: reading them raises. */
  defer<const C extends ColumnsAndFlags>(...columns: C): WithColumns<Root, Paths, At, Tip, `!${ColumnKeysOf<C>}`> {
    return this.#withColumns(columnDirective("defer", columns));
  }

  /** At the end of the path, load these deferred columns. */
  undefer<const C extends readonly ColumnTarget[]>(...columns: C): WithColumns<Root, Paths, At, Tip, ColumnKeysOf<C>> {
    return this.#withColumns({ mode: "undefer", columns: columns as readonly ColumnRef<unknown, string>[] });
  }

  /** `joinedload(User.organization)`, for messages and `explainLoading`. */
  toString(): string {
    const path = this.steps.map((s, i) => `${i === 0 ? "" : "."}${describeStep(s)}`).join("");
    return this.root === undefined ? path : `Load(${this.root.className})${path === "" ? "" : `.${path}`}`;
  }

  #then(next: LoadStep): never {
    if (this.columns.length > 0) throw new ArgumentError(`${this}: put column options (loadOnly, defer, undefer) last in a chain`);
    return new LoaderOption([...this.steps, next], this.columns, this.rootColumns, this.root) as never;
  }

  #withColumns(directive: ColumnDirective): never {
    if (directive.columns.length === 0) throw new ArgumentError(`${directive.mode}() needs at least one column`);
    return new LoaderOption(this.steps, [...this.columns, directive], this.rootColumns, this.root) as never;
  }
}

/** The segment a non-loading step (lazyload, raiseload, noload) records: `"!posts"`, or `"!*"`. */
export type Unloads<A> = A extends "*" ? "!*" : `!${KeyOf<A>}`;

/** The option a chain step makes: the path `At` extended by `Segment`, ending at `A`'s target. */
export type Chained<Root, Paths extends string, At extends string, A, Segment extends string> = LoaderOption<
  Root,
  Paths | PathOf<At, Segment>,
  PathOf<At, Segment>,
  A extends "*" ? never : TargetOf<A>
>;

/** The option a first step makes (`selectinload(User.posts)`): rooted at `A`'s class unless `Root` says otherwise. */
export type Started<A, Segment extends string, Root = ParentOf<A>> = Chained<Root, never, "", A, Segment>;

/** @internal */
export function step(attribute: RelationshipRef | "*", strategy: OptionStrategy, options: { innerjoin?: boolean | "unnested" } = {}): LoadStep {
  if (attribute === "*") throw new ArgumentError(`"*" is accepted by lazyload, noload and raiseload; name the relationships to load eagerly`);
  if (!(attribute instanceof RelationshipAttribute)) {
    throw new ArgumentError(`Loader options take a relationship attribute such as User.organization, got ${describe(attribute)}`);
  }
  if (attribute.targetAlias !== undefined || attribute.parentAlias !== undefined) {
    // Aliases on a loader path are not applied yet; refusing them beats loading the wrong rows silently.
    throw new ArgumentError(`Loader options do not take ${attribute} narrowed by ofType() or read from an aliased class yet; name the plain relationship`);
  }
  if (attribute.criteria.length === 0) return Object.freeze({ attribute, strategy, innerjoin: options.innerjoin });
  const criteria = attribute.criteria.map((c) => c.node);
  return Object.freeze({ attribute, strategy, innerjoin: options.innerjoin, criteria });
}

/** @internal A step of the options that take `"*"` (lazyload, noload, raiseload): every relationship at that level. */
export function wildcardStep(attribute: RelationshipRef | "*", strategy: OptionStrategy): LoadStep {
  return attribute === "*" ? Object.freeze({ attribute, strategy }) : step(attribute, strategy);
}

/** @internal */
export function containsEagerStep(attribute: RelationshipRef): LoadStep {
  const loaded = step(attribute, "contains_eager");
  if (loaded.criteria !== undefined) {
    // containsEager reads the statement's own join, whose ON the loader does not write.
    throw new ArgumentError(`containsEager() does not take criteria: put them on the statement's join, join(${attribute}.and(…)), and name the plain ${attribute} here`);
  }
  return loaded;
}

/** @internal */
export function raiseStep(attribute: RelationshipRef | "*", options: { sqlOnly?: boolean }): LoadStep {
  const strategy = options.sqlOnly ? "raise_on_sql" : "raise";
  if (attribute === "*") return Object.freeze({ attribute: "*", strategy, sqlOnly: options.sqlOnly });
  return { ...step(attribute, strategy), sqlOnly: options.sqlOnly };
}

function describeStep(s: LoadStep): string {
  const name: Record<OptionStrategy, string> = {
    joined: "joinedload",
    selectin: "selectinload",
    subquery: "subqueryload",
    immediate: "immediateload",
    select: "lazyload",
    raise: "raiseload",
    raise_on_sql: "raiseload",
    noload: "noload",
    default: "defaultload",
    contains_eager: "containsEager",
  };
  const target = s.attribute === "*" ? '"*"' : `${s.attribute}${s.criteria ? ".and(…)" : ""}`;
  const extra = s.innerjoin ? `, { innerjoin: ${JSON.stringify(s.innerjoin)} }` : s.sqlOnly ? ", { sqlOnly: true }" : "";
  return `${name[s.strategy]}(${target}${extra})`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}
