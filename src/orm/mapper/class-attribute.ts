import { InvalidRequestError } from "../../shared/errors.ts";
import type { FromNode } from "../../core/sql/nodes.ts";
import type { Mapper } from "./mapper.ts";

/** Marks the objects `bindClassAttributes` binds. */
export const CLASS_ATTRIBUTE = Symbol.for("tsalchemy.classAttribute");

/** A model class, as attributes are bound to it. */
export type ModelConstructor = abstract new (...args: never[]) => object;

/** The class, key and mapper a static attribute belongs to. */
export interface AttributeOwner {
  readonly cls: ModelConstructor;
  readonly key: string;
  readonly mapper: Mapper;
}

/**
 * An attribute a model declares as a static field (`static shout = hybridProperty(…)`): it learns
 * its class and key when the class is registered, and then installs what instances need.
 */
export interface ClassAttribute {
  readonly [CLASS_ATTRIBUTE]: true;
  /** @internal Called at the registration of each class that declares it. */
  bindAttribute(owner: AttributeOwner): void;
  /**
   * @internal The attribute as an alias of its class offers it (`aliased(Author).shout`): its
   * expression with the columns of `table` moved onto `alias`; absent where that is not possible.
   */
  adaptTo?(table: FromNode, alias: FromNode): unknown;
}

/**
 * The owner of a static attribute once bound. Used before (a class-level expression built at module
 * load, before anything touched the class), it throws with the fix rather than misreading
 * `Model.name` (until registration the class's own `name`).
 */
export class AttributeBinding {
  #owner: AttributeOwner | undefined;
  readonly #what: string;

  constructor(what: string) {
    this.#what = what;
  }

  /** Records the owner; false when already bound (the attribute keeps its first class). */
  bind(owner: AttributeOwner): boolean {
    if (this.#owner !== undefined) return false;
    this.#owner = owner;
    return true;
  }

  get owner(): AttributeOwner {
    if (this.#owner === undefined) {
      throw new InvalidRequestError(
        `A ${this.#what} was used at class level before its model class was registered. ` +
          `Use the class in a query first (select(Model)), or register it after its definition: Base.register(Model).`,
      );
    }
    return this.#owner;
  }

  get isBound(): boolean {
    return this.#owner !== undefined;
  }
}

/** The static computed attributes `cls` declares, by key. */
export function classAttributesOf(cls: ModelConstructor): [string, ClassAttribute][] {
  const found: [string, ClassAttribute][] = [];
  for (const key of Object.getOwnPropertyNames(cls)) {
    const value = Object.getOwnPropertyDescriptor(cls, key)?.value as Partial<ClassAttribute> | undefined;
    if ((typeof value === "object" || typeof value === "function") && value !== null && value[CLASS_ATTRIBUTE] === true) found.push([key, value as ClassAttribute]);
  }
  return found;
}

/** Binds the static attributes `cls` declares (`static x = hybridProperty(…)`) to it. */
export function bindClassAttributes(mapper: Mapper, cls: ModelConstructor): void {
  for (const [key, attribute] of classAttributesOf(cls)) attribute.bindAttribute({ cls, key, mapper });
}
