import { ArgumentError } from "../../shared/errors.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import { JOIN_TARGET, type Joinable } from "../../core/sql/join-target.ts";
import { DML_TARGET, type DmlTargetable } from "../../core/sql/dml-target.ts";
import { installLoaderStrategies } from "../loading/loader-strategy-table.ts";
import { Mapper, type MapperOptions } from "../mapper/mapper.ts";
import { MAPPER, Registry } from "../mapper/registry.ts";
import { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { ModelOptions } from "./model-options.ts";
import type { AwaitableAttributes, ColumnKeys, ModelDmlColumns, ModelSpec } from "../mapping/model-types.ts";
import type { ModelAttributes, ModelConstructorInit, ModelStatics } from "./model-class-types.ts";
import { RelationshipAttribute } from "../mapper/relationship-attribute.ts";
import { InstanceState, STATE } from "../state/instance-state.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import { installAccessors } from "./install-accessors.ts";
import { installSpecAttribute } from "./spec-attributes.ts";

/** The class `Base.model(...)` returns: extend it to declare a model. */
export type ModelClass<S extends ModelSpec> = (new (init?: ModelConstructorInit<S>) => ModelAttributes<S> & AwaitableAttributes<S>) &
  ModelStatics<S> & { readonly [MAPPER]: Mapper } & Joinable & DmlTargetable<ModelDmlColumns<S>>;

/** What `declarativeBase()` returns: a namespace for models sharing one MetaData and registry. */
export interface DeclarativeBase {
  readonly metadata: MetaData;
  readonly registry: Registry;
  /**
   * The base class of a model of table `tableName`, declared by `spec`.
   *
   * ```ts
   * export class User extends Base.model("users", {
   *   id: mappedColumn(Integer, { primaryKey: true }),
   *   name: mappedColumn(StringType(30), { nullable: false }),
   *   organizationId: mappedColumn(Integer, ForeignKey("organizations.id"), { name: "organization_id" }),
   *   organization: relationship<Organization>("Organization"),
   * }) {}
   * ```
   *
   * `options` are the mapper's (SQLAlchemy's `__mapper_args__`), such as a version counter for
   * optimistic locking: `Base.model("things", spec, { versionIdCol: "version" })`.
   */
  model<const S extends ModelSpec, K extends ColumnKeys<S> = ColumnKeys<S>>(tableName: string, spec: S, options?: ModelOptions<S, K>): ModelClass<S>;
  /** Registers model classes by name (needed only for classes no code touched before their rows load). */
  register(...classes: readonly (abstract new (...args: never[]) => object)[]): void;
}

/**
 * Starts a set of models (SQLAlchemy's `DeclarativeBase`): one `MetaData` for their tables and one
 * registry resolving relationship targets by class name.
 *
 * ```ts
 * export const Base = declarativeBase();
 * await Base.metadata.createAll(conn);
 * ```
 */
export function declarativeBase(options: { metadata?: MetaData } = {}): DeclarativeBase {
  // The layers below the strategies reach them through this table (docs/adr/0009-loader-strategy-per-file.md).
  installLoaderStrategies(LOADER_STRATEGIES);
  const metadata = options.metadata ?? new MetaData();
  const registry = new Registry(metadata);
  return {
    metadata,
    registry,
    model: <const S extends ModelSpec, K extends ColumnKeys<S>>(tableName: string, spec: S, options?: ModelOptions<S, K>) =>
      defineModel(registry, tableName, spec, (options ?? {}) as MapperOptions),
    register: (...classes) => registry.register(...classes),
  };
}

function defineModel<S extends ModelSpec>(registry: Registry, tableName: string, spec: S, options: MapperOptions): ModelClass<S> {
  let mapper: Mapper;
  const base = class {
    constructor(init?: Record<string, unknown>) {
      const cls = new.target;
      if (cls === base) throw new ArgumentError(`Extend the class Base.model("${tableName}", …) returns; it cannot be instantiated itself`);
      registry.register(cls);
      (this as unknown as Record<symbol, unknown>)[STATE] = new InstanceState(mapper, this, mapper.unloadedValues);
      if (init) {
        const writers = writersOf(cls);
        for (const key of Object.keys(init)) {
          const write = writers.get(key);
          if (write !== undefined) {
            write.call(this, init[key]);
            continue;
          }
          if (mapper.property(key) === undefined && !(spec[key]?.kind === "synonym" || spec[key]?.kind === "composite")) throw new ArgumentError(`${mapper.className} has no mapped attribute "${key}"`);
          (this as unknown as Record<string, unknown>)[key] = init[key];
        }
      }
    }
  };
  mapper = new Mapper(registry, registry.metadata, tableName, spec, base, options);
  registry.addMapper(mapper);
  Object.defineProperty(base, MAPPER, { value: mapper });
  // As a join target (`select(...).join(User)`), a model is its table: ON from the foreign key.
  Object.defineProperty(base, JOIN_TARGET, { value: () => [{ target: mapper.table, on: undefined }] });
  // As the target of insert() / update() / delete_() (`update(User)`), a model is its table too.
  Object.defineProperty(base, DML_TARGET, { value: () => mapper.table });
  installAccessors(mapper, base.prototype);
  for (const [key, value] of Object.entries(spec)) {
    const attribute =
      value instanceof MappedColumnSpec
        ? mapper.table.c[key]
        : value.kind === "relationship"
          ? new RelationshipAttribute(mapper, mapper.relationship(key) as never)
          : undefined;
    const computed = value.kind === "synonym" || value.kind === "composite" ? installSpecAttribute(mapper, key, value, base.prototype) : undefined;
    Object.defineProperty(base, key, {
      configurable: true,
      get(this: abstract new (...args: never[]) => object) {
        // Touching `User.id` is how the registry learns about the subclass (ADR 0002).
        if (this !== base) registry.register(this);
        return computed === undefined ? attribute : computed(this);
      },
    });
  }
  return base as unknown as ModelClass<S>;
}

/** Per model class, the setter each mapped attribute's assignment runs (the subclass's own, if it defines one). */
const writersByClass = new WeakMap<object, Map<string, (this: object, value: unknown) => void>>();

/**
 * The setters `new Model({...})` calls, found once per class: assigning `this[key]` with a
 * different key each time makes every assignment a generic keyed store, which cost most of the
 * constructor's time (W6 profile: `base` 7%). A key whose nearest definition has no setter is
 * left out, and assigned.
 */
function writersOf(cls: abstract new (...args: never[]) => object): Map<string, (this: object, value: unknown) => void> {
  let writers = writersByClass.get(cls);
  if (writers !== undefined) return writers;
  writers = new Map();
  const mapper = (cls as unknown as { [MAPPER]: Mapper })[MAPPER];
  for (const property of [...mapper.columns, ...mapper.relationships]) {
    for (let proto: object | null = cls.prototype; proto !== null; proto = Object.getPrototypeOf(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, property.key);
      if (descriptor === undefined) continue;
      if (descriptor.set !== undefined) writers.set(property.key, descriptor.set);
      break;
    }
  }
  writersByClass.set(cls, writers);
  return writers;
}
