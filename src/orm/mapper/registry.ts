import { ArgumentError, UnmappedError } from "../../shared/errors.ts";
import type { MetaData } from "../../core/schema/metadata.ts";
import type { RelationshipTarget } from "../mapping/relationship.ts";
import type { Mapper, MapperRegistry } from "./mapper.ts";

/** Where a model class keeps its mapper (a static inherited by the user's subclass). */
export const MAPPER: unique symbol = Symbol.for("tsalchemy.mapper");

type ModelConstructor = abstract new (...args: never[]) => object;

/** The mapper of a model class, or `undefined` for a class that is not mapped. */
export function mapperOfClass(cls: unknown): Mapper | undefined {
  return typeof cls === "function" ? ((cls as unknown as Record<symbol, Mapper | undefined>)[MAPPER]) : undefined;
}

/**
 * The models of one declarative base: mappers by class name, for resolving relationship targets
 * named by string (SQLAlchemy's class registry).
 */
export class Registry implements MapperRegistry {
  readonly metadata: MetaData;
  readonly #mappers: Mapper[] = [];
  readonly #byName = new Map<string, Mapper>();

  constructor(metadata: MetaData) {
    this.metadata = metadata;
  }

  get mappers(): readonly Mapper[] {
    return this.#mappers;
  }

  /** @internal */
  addMapper(mapper: Mapper): void {
    this.#mappers.push(mapper);
  }

  /** Records model subclasses so their names resolve and their rows load as their instances. */
  register(...classes: readonly ModelConstructor[]): void {
    for (const cls of classes) {
      const mapper = mapperOfClass(cls);
      if (!mapper || !this.#mappers.includes(mapper)) {
        throw new UnmappedError(`Class '${cls.name}' is not a model of this declarative base`);
      }
      if (mapper.modelClass === cls) continue;
      mapper.registerClass(cls);
      const name = mapper.className;
      const existing = this.#byName.get(name);
      if (existing && existing !== mapper) {
        throw new ArgumentError(`Two models are named '${name}'; relationship targets named by string would be ambiguous`);
      }
      this.#byName.set(name, mapper);
    }
  }

  /** The mapper a relationship target names. */
  resolve(target: RelationshipTarget, from: string): Mapper {
    if (typeof target === "function") {
      const cls = target() as ModelConstructor;
      this.register(cls);
      return mapperOfClass(cls) as Mapper;
    }
    const mapper = this.#byName.get(target);
    if (mapper) return mapper;
    const known = [...this.#byName.keys()].join(", ") || "none yet";
    throw new UnmappedError(
      `${from} has a relationship to '${target}', which is not a registered model (registered: ${known}). ` +
        `Import the module that defines ${target} before using the models, and register it: Base.register(${target}).`,
    );
  }
}
