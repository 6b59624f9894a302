import type { Expression } from "../../core/sql/coercions.ts";

/** SQLAlchemy's `lazy=` values: how a relationship loads when a query does not say otherwise. */
export type LoadStrategy =
  | "select"
  | "joined"
  | "selectin"
  | "subquery"
  | "immediate"
  | "raise"
  | "raise_on_sql"
  | "noload"
  | "write_only";

/** The strategies that load as the parent loads: their attributes are typed as loaded. */
export type EagerStrategy = "joined" | "selectin" | "subquery" | "immediate";

export interface RelationshipOptions {
  /** The default loader strategy ("select": load on first access, which under async needs an explicit load). */
  readonly lazy?: LoadStrategy;
  /** The attribute on the target that is this relationship's other side, kept in sync in memory. */
  readonly backPopulates?: string;
  /** A collection (array) or a single object; inferred from the foreign key direction when absent. */
  readonly uselist?: boolean;
  /** The local columns (by attribute key) that hold the foreign key, when more than one could. */
  readonly foreignKeys?: readonly string[];
  /** Self-referential many-to-one: the referenced column key(s) (usually the primary key, `["id"]`). */
  readonly remoteSide?: readonly string[];
  /**
   * The join condition, when foreign keys do not say it (SQLAlchemy's `primaryjoin`): equalities of
   * the parent's and target's columns, `() => and(User.id.eq(Address.userId), …)`, evaluated at
   * configuration. The column of each that holds the foreign key is found by `foreignKeys`, else by
   * the table's ForeignKey. For a many-to-many, parent ↔ association table.
   */
  readonly primaryjoin?: () => Expression<boolean>;
  /** Many-to-many with `primaryjoin`: association table ↔ target, `() => Follow.followedId.eq(User.id)`. */
  readonly secondaryjoin?: () => Expression<boolean>;
  /** The association table of a many-to-many, by name in the same MetaData. */
  readonly secondary?: string;
  /** Collection order: attribute keys of the target (`"-name"` for descending). */
  readonly orderBy?: readonly string[];
  /** Cascades, comma separated: "save-update, merge" (the default), "all, delete-orphan" … */
  readonly cascade?: string;
  /** Read only: never written by flush. */
  readonly viewonly?: boolean;
  /**
   * For `lazy: "joined"`: an INNER JOIN instead of LEFT OUTER JOIN (nested inside an outer join
   * above it, as SQLAlchemy); "unnested": LEFT OUTER below an outer join.
   */
  readonly innerjoin?: boolean | "unnested";
  /** How deep a self-referential eager strategy goes. */
  readonly joinDepth?: number;
  /** Rely on the database's ON DELETE instead of loading children to update or delete them. */
  readonly passiveDeletes?: boolean;
  /**
   * Write this relationship's foreign key with a second UPDATE after both rows are INSERTed (and
   * clear it with an UPDATE before both are DELETEd), SQLAlchemy's `post_update`: for rows that
   * reference each other (`user.favoritePost` while `post.author` is the user), which no order of
   * INSERTs can write.
   */
  readonly postUpdate?: boolean;
}

/** Target of a relationship: the mapped class's name (as in SQLAlchemy) or a thunk returning it. */
export type RelationshipTarget = string | (() => abstract new (...args: never[]) => unknown);

/** A relationship declaration; `T` is the related type (`Organization`, `Post[]`, `Organization | null`). */
export class RelationshipSpec<T, L extends LoadStrategy = "select"> {
  readonly kind = "relationship";
  declare readonly __ts: T;
  declare readonly __lazy: L;
  readonly target: RelationshipTarget;
  readonly options: RelationshipOptions;

  constructor(target: RelationshipTarget, options: RelationshipOptions) {
    this.target = target;
    this.options = Object.freeze({ ...options });
    Object.freeze(this);
  }
}

/** The options of a relationship whose `lazy` is `L`. */
type OptionsWith<L extends LoadStrategy> = RelationshipOptions & { readonly lazy: L };

/**
 * Declares a relationship to another mapped class, named by string; the type parameter gives the
 * related type (an array for a collection), which keeps models in separate files type-checkable.
 * The strategy's type comes from `lazy` (one overload per strategy: TypeScript infers no type
 * argument once one is given), so an eager relationship is typed loaded without repeating it; a
 * second type argument must agree with `lazy`.
 *
 * ```ts
 * organization: relationship<Organization>("Organization"),
 * posts: relationship<Post[]>("Post", { backPopulates: "author", lazy: "selectin" }),   // typed Post[]
 * ```
 */
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"select">): RelationshipSpec<T, "select">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"joined">): RelationshipSpec<T, "joined">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"selectin">): RelationshipSpec<T, "selectin">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"subquery">): RelationshipSpec<T, "subquery">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"immediate">): RelationshipSpec<T, "immediate">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"raise">): RelationshipSpec<T, "raise">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"raise_on_sql">): RelationshipSpec<T, "raise_on_sql">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"noload">): RelationshipSpec<T, "noload">;
export function relationship<T>(target: RelationshipTarget, options: OptionsWith<"write_only">): RelationshipSpec<T, "write_only">;
export function relationship<T>(target: RelationshipTarget, options?: RelationshipOptions & { readonly lazy?: undefined }): RelationshipSpec<T, "select">;
export function relationship<T, const L extends LoadStrategy>(target: RelationshipTarget, options: OptionsWith<L>): RelationshipSpec<T, L>;
export function relationship<T, const L extends LoadStrategy>(
  target: RelationshipTarget,
  options: RelationshipOptions & { readonly lazy?: L } = {},
): RelationshipSpec<T, L> {
  return new RelationshipSpec<T, L>(target, options);
}
