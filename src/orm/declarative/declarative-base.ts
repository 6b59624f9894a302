import { ArgumentError } from "../../shared/errors.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import { JOIN_TARGET, type JoinStep, type Joinable } from "../../core/sql/join-target.ts";
import { and } from "../../core/sql/elements.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import { DML_TARGET, type DmlTargetable } from "../../core/sql/dml-target.ts";
import { installLoaderStrategies } from "../loading/loader-strategy-table.ts";
import { Mapper, type MapperOptions } from "../mapper/mapper.ts";
import { MAPPER, Registry } from "../mapper/registry.ts";
import { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { ModelOptions } from "./model-options.ts";
import type { AwaitableAttributes, ColumnKeys, ModelDmlColumns, ModelSpec } from "../mapping/model-types.ts";
import type { ModelAttributes, ModelConstructorArgs, ModelStatics } from "./model-class-types.ts";
import { RelationshipAttribute } from "../mapper/relationship-attribute.ts";
import { InstanceState, STATE } from "../state/instance-state.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import { registerClassAttribute } from "../mapper/attribute-events.ts";
import { installAccessors } from "./install-accessors.ts";
import type { AnyModelClass, SubclassOf, SubclassOptions } from "./subclass-types.ts";

/**
 * The class `Base.model(...)` returns: extend it to declare a model. `V` are the keys the mapper
 * fills, which the constructor does not require: the version counter (`versionIdCol`) and the
 * discriminator (`polymorphicOn`, set from the class's `polymorphicIdentity`).
 */
export type ModelClass<S extends ModelSpec, V extends string = never> = (new (...init: ModelConstructorArgs<S, V>) => ModelAttributes<S> & AwaitableAttributes<S>) &
  ModelStatics<S> & { readonly [MAPPER]: Mapper } & Joinable & DmlTargetable<ModelDmlColumns<S>> & ModelSubclassing;

/** `Model.subclass(…)`: declares a class that inherits from a model. */
export interface ModelSubclassing {
  /**
   * The base class of a subclass of this model (SQLAlchemy's mapped class inheritance). With a
   * table name, its own columns go in a table of their own whose primary key references the
   * parent's (joined-table inheritance); with `null`, in the parent's table (single-table). The
   * subclass inherits the parent's columns, relationships, methods and statics.
   *
   * ```ts
   * class Manager extends Employee.subclass("managers", {
   *   id: mappedColumn(Integer, ForeignKey("employees.id"), { primaryKey: true }),
   *   managerName: mappedColumn(StringType(50)),
   * }, { polymorphicIdentity: "manager" }) {}
   * class Engineer extends Employee.subclass(null, {
   *   engineerName: mappedColumn(StringType(50)),
   * }, { polymorphicIdentity: "engineer" }) {}
   * ```
   */
  subclass<This extends AnyModelClass, const S2 extends ModelSpec>(this: This, tableName: string | null, spec: S2, options?: SubclassOptions<S2>): SubclassOf<This, S2>;
}
import { installSpecAttribute } from "./spec-attributes.ts";

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
  model<const S extends ModelSpec, K extends ColumnKeys<S> = never, D extends ColumnKeys<S> = never>(
    tableName: string,
    spec: S,
    options?: ModelOptions<S, K, D>,
  ): ModelClass<S, K | D>;
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
    model: <const S extends ModelSpec, K extends ColumnKeys<S> = never, D extends ColumnKeys<S> = never>(tableName: string, spec: S, options?: ModelOptions<S, K, D>) =>
      defineModel(registry, tableName, spec, (options ?? {}) as MapperOptions) as ModelClass<S, K | D>,
    register: (...classes) => registry.register(...classes),
  };
}

function defineModel<S extends ModelSpec>(
  registry: Registry,
  tableName: string | null,
  spec: S,
  options: MapperOptions,
  parentClass?: abstract new (...args: never[]) => object,
): ModelClass<S> {
  let mapper: Mapper;
  const base =
    parentClass === undefined
      ? class {
          constructor(init?: Record<string, unknown>) {
            const cls = new.target;
            // The class's own mapper: a subclass (`Employee.subclass(…)`) shares this constructor.
            const mapper = (cls as unknown as { [MAPPER]: Mapper })[MAPPER];
            if (cls === mapper.base) throw new ArgumentError(`Extend the class Base.model("${mapper.table.name}", …) returns; it cannot be instantiated itself`);
            // A class is registered on its first instance (its own mapper then knows it).
            if (mapper.modelClass !== cls) registry.register(cls);
            const state = new InstanceState(mapper, this);
            (this as unknown as Record<symbol, unknown>)[STATE] = state;
            if (mapper.inheritance !== undefined) setDiscriminator(mapper, state);
            if (init) {
              const writers = writersOf(cls);
              for (const key of Object.keys(init)) {
                const write = writers.get(key);
                if (write !== undefined) {
                  write.call(this, init[key]);
                  continue;
                }
                // Synonyms and composites are accessors of the class, not mapped properties.
                if (mapper.property(key) === undefined && !hasSetter(cls, key)) throw new ArgumentError(`${mapper.className} has no mapped attribute "${key}"`);
                (this as unknown as Record<string, unknown>)[key] = init[key];
              }
            }
          }
        }
      : class extends (parentClass as unknown as new (init?: Record<string, unknown>) => object) {};
  const parent = parentClass === undefined ? undefined : (parentClass as unknown as { [MAPPER]: Mapper })[MAPPER];
  mapper = new Mapper(registry, registry.metadata, tableName, spec, base, options, parent);
  registry.addMapper(mapper);
  Object.defineProperty(base, MAPPER, { value: mapper });
  // As a join target (`select(...).join(User)`), a model is its table: ON from the foreign key.
  // A joined-table subclass is its tables: the base's (ON from the foreign key), then each of its own ON the key.
  Object.defineProperty(base, JOIN_TARGET, { value: () => (mapper.inheritance === undefined ? [{ target: mapper.table, on: undefined }] : inheritedJoinSteps(mapper)) });
  // As the target of insert() / update() / delete_() (`update(User)`), a model is its table too.
  Object.defineProperty(base, DML_TARGET, { value: () => mapper.table });
  Object.defineProperty(base, "subclass", {
    configurable: true,
    value(this: abstract new (...args: never[]) => object, subTable: string | null, subSpec: ModelSpec, subOptions?: SubclassOptions) {
      if (this === base) throw new ArgumentError(`Call subclass() on the model class that extends Base.model("${mapper.table.name}", …)`);
      registry.register(this);
      return defineModel(registry, subTable, subSpec, (subOptions ?? {}) as MapperOptions, this);
    },
  });
  installAccessors(mapper, base.prototype, parent === undefined ? undefined : (key) => parent.property(key) === undefined);
  for (const [key, value] of Object.entries(spec)) {
    // A joined subclass's key columns stand for the parent's key attributes (a concrete one's are its own).
    if (parent?.property(key) !== undefined && mapper.inheritance?.kind !== "concrete") continue;
    const attribute =
      value instanceof MappedColumnSpec
        ? mapper.table.c[key]
        : value.kind === "relationship"
          ? new RelationshipAttribute(mapper, mapper.relationship(key) as never)
          : undefined;
    if (value instanceof MappedColumnSpec) registerClassAttribute(attribute as object, mapper.property(key) as object);
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

/** The join steps of a class of an inheritance hierarchy: its base table, then its other tables on the key. */
function inheritedJoinSteps(mapper: Mapper): JoinStep[] {
  const inheritance = mapper.inheritance as NonNullable<Mapper["inheritance"]>;
  const [first, ...rest] = inheritance.tables;
  // A single-table subclass shares its parent's table: only the rows of its classes join.
  const on = inheritance.polymorphicOn;
  const criterion = inheritance.kind === "single" && on !== undefined ? on.column.in(inheritance.identities(mapper) as never[]) : undefined;
  const steps: JoinStep[] = [{ target: first ?? mapper.table, on: undefined, ...(criterion === undefined ? {} : { criterion }) }];
  for (const table of rest) {
    const keys = (inheritance.tableColumns.get(table) ?? []).filter((c) => c.column.primaryKey);
    steps.push({ target: table, on: and(...keys.map((k, i) => (mapper.primaryKey[i] as ColumnProperty).column.eq(k.column as never))) });
  }
  return steps;
}

/** A new instance of a class with a discriminator value gets it (SQLAlchemy sets it on init). */
function setDiscriminator(mapper: Mapper, state: InstanceState): void {
  const { polymorphicOn, identity } = mapper.inheritance as NonNullable<Mapper["inheritance"]>;
  if (polymorphicOn !== undefined && identity !== undefined) state.storeAt(polymorphicOn.slot, identity);
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

/** Whether `key` is an accessor with a setter on `cls`'s prototype chain (a synonym's, a composite's). */
function hasSetter(cls: abstract new (...args: never[]) => object, key: string): boolean {
  for (let proto: object | null = cls.prototype; proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if (descriptor !== undefined) return descriptor.set !== undefined;
  }
  return false;
}
