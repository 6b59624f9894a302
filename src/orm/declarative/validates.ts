import { ArgumentError } from "../../shared/errors.ts";
import { type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute } from "../mapper/class-attribute.ts";

/** What `validates()` returns: declare it as a static field of the model. */
export interface Validator<I> extends ClassAttribute {
  readonly key: string;
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
 */
export function validates<I, K extends string>(key: K & keyof I, validate: (object: I, value: I[K & keyof I], key: K) => I[K & keyof I]): Validator<I> {
  const bindAttribute = ({ cls, key: field, mapper }: AttributeOwner): void => {
    let descriptor: PropertyDescriptor | undefined;
    for (let proto: object | null = cls.prototype; proto !== null && descriptor === undefined; proto = Object.getPrototypeOf(proto)) {
      descriptor = Object.getOwnPropertyDescriptor(proto, key);
    }
    const set = descriptor?.set;
    if (descriptor === undefined || set === undefined) {
      throw new ArgumentError(`${mapper.className}.${field}: validates("${key}") names no settable attribute of ${mapper.className}`);
    }
    Object.defineProperty(cls.prototype, key, {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get: descriptor.get,
      set(this: I, value: unknown) {
        set.call(this, validate(this, value as I[K & keyof I], key));
      },
    });
  };
  return { [CLASS_ATTRIBUTE]: true, key, bindAttribute } as unknown as Validator<I>;
}
