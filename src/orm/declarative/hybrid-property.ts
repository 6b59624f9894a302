import { InvalidRequestError } from "../../shared/errors.ts";
import { ColumnElement } from "../../core/sql/column-element.ts";
import type { FromNode } from "../../core/sql/nodes.ts";
import { replaceOwner } from "../mapper/replace-owner.ts";
import { AttributeBinding, type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute } from "../mapper/class-attribute.ts";
import { resolveLater } from "../mapper/deferred-element.ts";

/** Options of `hybridProperty()`. */
export interface HybridPropertyOptions<I, T> {
  /**
   * The SQL expression the attribute is at class level (SQLAlchemy's `@x.inplace.expression`).
   * Without it, the instance function is called with the class, as SQLAlchemy does: that works
   * when it only uses what columns and values both have (`(u) => u.firstName.concat(" ")`).
   */
  readonly expression?: () => ColumnElement<T>;
  /** What assigning the attribute on an instance does (SQLAlchemy's `@x.inplace.setter`); without it, assigning throws. */
  readonly setter?: (object: I, value: T) => void;
}

/**
 * An attribute that is a TypeScript value on instances and an SQL expression on the class
 * (SQLAlchemy's `hybrid_property`). Declare it as a static field, and its instance type with
 * `declare`:
 *
 * ```ts
 * class Author extends Base.model("authors", { id: …, name: mappedColumn(StringType(30), { nullable: false }) }) {
 *   declare readonly shout: string;
 *   static readonly shout = hybridProperty((a: Author) => a.name.toUpperCase(), {
 *     expression: () => func.upper(Author.name),
 *   });
 * }
 * author.shout                                               // "ANN"
 * select(Author).where(Author.shout.eq("ANN")).orderBy(Author.shout)
 * // SELECT … FROM "authors" WHERE upper("authors"."name") = ? ORDER BY upper("authors"."name")
 * ```
 *
 * Selected on its own (`select(Author.shout)`), its row key is the attribute's name.
 */
export function hybridProperty<I, T>(get: (object: I) => T, options: HybridPropertyOptions<I, T> = {}): HybridProperty<I, T> {
  return new HybridProperty(get, options);
}

/** The class-level side of a `hybridProperty()`: an SQL expression of type `T` (see there). */
export class HybridProperty<I, T> extends ColumnElement<T> implements ClassAttribute {
  readonly [CLASS_ATTRIBUTE] = true as const;
  declare readonly __instance: I;
  readonly #binding = new AttributeBinding("hybridProperty");
  readonly #get: (object: I) => T;
  readonly #options: HybridPropertyOptions<I, T>;

  constructor(get: (object: I) => T, options: HybridPropertyOptions<I, T>) {
    super(undefined as never, undefined as never);
    this.#get = get;
    this.#options = options;
    resolveLater<T>(this, () => {
      const { cls, key, mapper } = this.#binding.owner;
      const expression = options.expression ? options.expression() : (get(cls as never) as unknown);
      if (!(expression instanceof ColumnElement)) {
        throw new InvalidRequestError(
          `${mapper.className}.${key}: the instance function gave no SQL expression at class level; give the hybrid an expression: hybridProperty(fn, { expression: () => … })`,
        );
      }
      return expression as ColumnElement<T>;
    });
  }

  override get rowKey(): string {
    return this.#binding.owner.key;
  }

  /** @internal The expression over an alias of the class. */
  adaptTo(table: FromNode, alias: FromNode): ColumnElement<T> {
    const adapted = new ColumnElement(replaceOwner(this.node, table, alias), this.type);
    // Selected, it keeps the hybrid's name as its row key.
    Object.defineProperty(adapted, "rowKey", { value: this.rowKey });
    return adapted;
  }

  /** @internal */
  bindAttribute(owner: AttributeOwner): void {
    if (!this.#binding.bind(owner)) return;
    const get = this.#get;
    const setter = this.#options.setter;
    const path = `${owner.mapper.className}.${owner.key}`;
    Object.defineProperty(owner.cls.prototype, owner.key, {
      configurable: true,
      enumerable: false,
      get(this: I) {
        return get(this);
      },
      set(this: I, value: T) {
        if (setter === undefined) throw new InvalidRequestError(`The hybrid attribute '${path}' has no setter: give it one with hybridProperty(fn, { setter })`);
        setter(this, value);
      },
    });
  }
}
