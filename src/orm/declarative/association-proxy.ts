import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import { AttributeBinding, type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute } from "../mapper/class-attribute.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";

type Attributes = Record<string, unknown>;

/** What an attribute of the proxied class offers at class level, as a proxy uses it. */
interface Comparable {
  eq(value: unknown): ColumnElement<boolean>;
}

/** A relationship attribute at class level, as a proxy uses it. */
interface RelationshipComparable {
  any(criterion?: Expression<boolean>): ColumnElement<boolean>;
  has(criterion?: Expression<boolean>): ColumnElement<boolean>;
}

/**
 * An association proxy's value over a collection: an array of the proxied values (a snapshot), with
 * `append()` / `remove()` writing through to the collection (SQLAlchemy's `_AssociationList`).
 */
export type AssociationList<T> = T[] & {
  /** Adds `creator(value)` to the underlying collection. */
  append(value: T): void;
  /** Removes the first member of the underlying collection whose proxied value is `value`. */
  remove(value: T): void;
};

/** Options of `associationProxy()`. */
export interface AssociationProxyOptions<T> {
  /**
   * Makes the intermediate object for a value that is appended or assigned (SQLAlchemy's
   * `creator`): `(word) => new AuthorKeyword({ keyword: new Keyword({ word }) })`. Without it,
   * the relationship's target class is constructed with `{ [attr]: value }`.
   */
  readonly creator?: (value: T) => object;
}

/**
 * An attribute of the objects a relationship leads to, seen through the relationship (SQLAlchemy's
 * `association_proxy`). Declare it as a static field, and its instance type with `declare`: an
 * `AssociationList<T>` over a collection, `T | null` over a scalar relationship.
 *
 * ```ts
 * class Author extends Base.model("authors", { …, authorKeywords: relationship<AuthorKeyword[]>("AuthorKeyword") }) {
 *   declare readonly keywords: AssociationList<string>;
 *   static readonly keywords = associationProxy<string>("authorKeywords", "word", {
 *     creator: (word) => new AuthorKeyword({ keyword: new Keyword({ word }) }),
 *   });
 * }
 * author.keywords                  // ["orm", "sql"] (the collection must be loaded)
 * author.keywords.append("async")  // adds an AuthorKeyword to author.authorKeywords
 * select(Author).where(Author.keywords.contains("sql"))
 * // WHERE EXISTS (SELECT 1 FROM "author_keywords" WHERE "authors"."id" = "author_keywords"."author_id"
 * //   AND EXISTS (SELECT 1 FROM "keywords" WHERE "keywords"."id" = "author_keywords"."keyword_id" AND "keywords"."word" = ?))
 * ```
 *
 * `attr` may be a column, a relationship or another proxy of the target class.
 */
export function associationProxy<T>(relationship: string, attr: string, options: AssociationProxyOptions<T> = {}): AssociationProxy<T> {
  return new AssociationProxy<T>(relationship, attr, options);
}

/** The class-level side of an `associationProxy()`: comparisons through the relationship. */
export class AssociationProxy<T> implements ClassAttribute {
  readonly [CLASS_ATTRIBUTE] = true as const;
  declare readonly __ts: T;
  /** The relationship proxied through. */
  readonly relationship: string;
  /** The attribute of the relationship's target that is proxied. */
  readonly attr: string;
  readonly #binding = new AttributeBinding("associationProxy");
  readonly #options: AssociationProxyOptions<T>;

  constructor(relationship: string, attr: string, options: AssociationProxyOptions<T>) {
    this.relationship = relationship;
    this.attr = attr;
    this.#options = options;
  }

  /** Over a collection: some member's value equals `value` (`EXISTS (… AND target.attr = ?)`). */
  contains(value: T): ColumnElement<boolean> {
    return this.#relationship().any(this.#target().eq(value));
  }

  /** Over a collection: some member exists (and matches `criterion`, against the target class). */
  any(criterion?: Expression<boolean>): ColumnElement<boolean> {
    return this.#relationship().any(criterion);
  }

  /** Over a scalar relationship: the related object exists (and matches `criterion`). */
  has(criterion?: Expression<boolean>): ColumnElement<boolean> {
    return this.#relationship().has(criterion);
  }

  /** Over a scalar relationship: the related object's value equals `value`. */
  eq(value: T): ColumnElement<boolean> {
    const property = this.#property();
    if (property.join.uselist) throw new InvalidRequestError(`'${this.#path()}' proxies a collection: use contains() or any()`);
    return this.#relationship().has(this.#target().eq(value));
  }

  /** @internal */
  bindAttribute(owner: AttributeOwner): void {
    if (!this.#binding.bind(owner)) return;
    if (owner.mapper.relationship(this.relationship) === undefined) {
      throw new ArgumentError(`${owner.mapper.className}.${owner.key}: associationProxy("${this.relationship}", …) names no relationship of ${owner.mapper.className}`);
    }
    const proxy = this;
    Object.defineProperty(owner.cls.prototype, owner.key, {
      configurable: true,
      enumerable: false,
      get(this: Attributes) {
        return proxy.#read(this);
      },
      set(this: Attributes, value: unknown) {
        proxy.#write(this, value);
      },
    });
  }

  #read(object: Attributes): unknown {
    const related = object[this.relationship];
    if (!this.#property().join.uselist) return related === null || related === undefined ? null : (related as Attributes)[this.attr];
    const members = related as Attributes[];
    const values = members.map((m) => m[this.attr]) as AssociationList<unknown>;
    Object.defineProperty(values, "append", {
      value: (value: unknown) => {
        members.push(this.#create(value as T) as Attributes);
        values.push(value);
      },
    });
    Object.defineProperty(values, "remove", {
      value: (value: unknown) => {
        const at = members.findIndex((m) => m[this.attr] === value);
        if (at < 0) return;
        members.splice(at, 1);
        values.splice(values.indexOf(value), 1);
      },
    });
    return values;
  }

  #write(object: Attributes, value: unknown): void {
    if (this.#property().join.uselist) {
      object[this.relationship] = (value as readonly T[]).map((v) => this.#create(v));
      return;
    }
    const related = object[this.relationship] as Attributes | null | undefined;
    if (related === null || related === undefined) object[this.relationship] = this.#create(value as T);
    else related[this.attr] = value;
  }

  #create(value: T): object {
    if (this.#options.creator) return this.#options.creator(value);
    const target = this.#targetMapper();
    const cls = (target.modelClass ?? target.base) as unknown as new (init: object) => object;
    return new cls({ [this.attr]: value });
  }

  #property(): RelationshipProperty {
    return this.#binding.owner.mapper.relationship(this.relationship) as RelationshipProperty;
  }

  #targetMapper(): Mapper {
    return this.#property().join.target as Mapper;
  }

  #relationship(): RelationshipComparable {
    return (this.#binding.owner.cls as unknown as Record<string, RelationshipComparable>)[this.relationship] as RelationshipComparable;
  }

  /** The proxied attribute at class level (a column, a relationship or another proxy). */
  #target(): Comparable {
    const target = this.#targetMapper();
    const cls = (target.modelClass ?? target.base) as unknown as Record<string, Comparable | undefined>;
    const attribute = cls[this.attr];
    if (attribute === undefined) throw new ArgumentError(`'${this.#path()}': ${target.className} has no attribute "${this.attr}"`);
    return attribute;
  }

  #path(): string {
    const { mapper, key } = this.#binding.owner;
    return `${mapper.className}.${key}`;
  }
}
