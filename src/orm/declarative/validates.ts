import { ArgumentError } from "../../shared/errors.ts";
import { type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute, type ModelConstructor } from "../mapper/class-attribute.ts";

/** What `validates()` returns: declare it as a static field of the model. */
export interface Validator<I> extends ClassAttribute {
  /** The attributes it validates. */
  readonly keys: readonly string[];
  readonly __instance: I;
}

/**
 * A validator of one attribute (SQLAlchemy's `@validates`): it runs on every assignment of the
 * attribute, the constructor's included, and returns the value to store (transformed or as is), or
 * throws to reject it. Rows loaded from the database do not pass through it.
 *
 * ```ts
 * class User extends Base.model("users", { …, email: mappedColumn(StringType(100), { nullable: false }) }) {
 *   static readonly checkEmail = validates("email", (user: User, email) => {
 *     if (!email.includes("@")) throw new Error(`not an email address: ${email}`);
 *     return email.toLowerCase();
 *   });
 * }
 * new User({ email: "Ann@Example.COM" }).email   // "ann@example.com"
 * user.email = "nope"                            // throws
 * ```
 *
 * With several keys (`validates(["firstName", "lastName"], (user, value, key) => …)`) one function
 * validates each; it receives the key it runs for.
 */
export function validates<I, const K extends string>(
  keys: (K & keyof I) | readonly (K & keyof I)[],
  validate: (object: I, value: I[K & keyof I], key: K) => I[K & keyof I],
): Validator<I> {
  const names: readonly string[] = typeof keys === "string" ? [keys] : keys;
  const bindAttribute = ({ cls, key: field, mapper }: AttributeOwner): void => {
    for (const key of names) wrapSetter(cls, key, `${mapper.className}.${field}`, mapper.className, (object, value) => validate(object as I, value as never, key as K));
  };
  return { [CLASS_ATTRIBUTE]: true, keys: names, bindAttribute } as unknown as Validator<I>;
}

/** Puts `validate` in front of the setter `key` has on `cls` (its own, or the nearest inherited one). */
function wrapSetter(cls: ModelConstructor, key: string, where: string, className: string, validate: (object: object, value: unknown) => unknown): void {
  let descriptor: PropertyDescriptor | undefined;
  for (let proto: object | null = cls.prototype; proto !== null && descriptor === undefined; proto = Object.getPrototypeOf(proto)) {
    descriptor = Object.getOwnPropertyDescriptor(proto, key);
  }
  const set = descriptor?.set;
  if (descriptor === undefined || set === undefined) throw new ArgumentError(`${where}: validates("${key}") names no settable attribute of ${className}`);
  Object.defineProperty(cls.prototype, key, {
    configurable: true,
    enumerable: descriptor.enumerable ?? true,
    get: descriptor.get,
    set(this: object, value: unknown) {
      set.call(this, validate(this, value));
    },
  });
}
