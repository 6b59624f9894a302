import { InvalidRequestError } from "../../shared/errors.ts";
import { ColumnElement } from "../../core/sql/column-element.ts";
import type { FromNode } from "../../core/sql/nodes.ts";
import { replaceOwner } from "../mapper/replace-owner.ts";
import { AttributeBinding, type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute } from "../mapper/class-attribute.ts";

/** The class-level side of a `hybridMethod()`: a function of the arguments giving an SQL expression. */
export type HybridMethod<I, A extends readonly unknown[], E extends ColumnElement<unknown>> = ((...args: A) => E) &
  ClassAttribute & { readonly __instance: I };

/**
 * A method that computes a value on instances and builds an SQL expression on the class
 * (SQLAlchemy's `hybrid_method`). Declare it as a static field, and its instance type with `declare`:
 *
 * ```ts
 * class Author extends Base.model("authors", { … }) {
 *   declare readonly nameStartsWith: (prefix: string) => boolean;
 *   static readonly nameStartsWith = hybridMethod((a: Author, prefix: string) => a.name.startsWith(prefix), {
 *     expression: (prefix: string) => Author.name.startsWith(prefix),
 *   });
 * }
 * author.nameStartsWith("A")                                // true
 * select(Author).where(Author.nameStartsWith("A"))          // WHERE "authors"."name" LIKE ? ESCAPE '/'   params: ["A%"]
 * ```
 *
 * Without `expression`, the instance function is called with the class in place of the instance.
 */
export function hybridMethod<I, A extends readonly unknown[], R, E extends ColumnElement<unknown> = ColumnElement<R>>(
  method: (object: I, ...args: A) => R,
  options: { readonly expression?: (...args: A) => E } = {},
): HybridMethod<I, A, E> {
  const binding = new AttributeBinding("hybridMethod");
  const atClass = (...args: A): E => {
    const { cls, key, mapper } = binding.owner;
    const expression = options.expression ? options.expression(...args) : (method(cls as never, ...args) as unknown);
    if (!(expression instanceof ColumnElement)) {
      throw new InvalidRequestError(`${mapper.className}.${key}: the method gave no SQL expression at class level; give the hybrid an expression: hybridMethod(fn, { expression })`);
    }
    return expression as E;
  };
  const bindAttribute = (owner: AttributeOwner): void => {
    if (!binding.bind(owner)) return;
    Object.defineProperty(owner.cls.prototype, owner.key, {
      configurable: true,
      writable: true,
      enumerable: false,
      value(this: I, ...args: A) {
        return method(this, ...args);
      },
    });
  };
  const adaptTo = (table: FromNode, alias: FromNode) => (...args: A) => {
    const expression = atClass(...args);
    return new ColumnElement(replaceOwner(expression.node, table, alias), expression.type);
  };
  return Object.assign(atClass, { [CLASS_ATTRIBUTE]: true as const, bindAttribute, adaptTo }) as unknown as HybridMethod<I, A, E>;
}
