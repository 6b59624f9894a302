import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import { Table } from "../../core/schema/table.ts";
import type { MetaData } from "../../core/schema/metadata.ts";
import type { ColumnSpec } from "../../core/schema/column.ts";
import type { TableArg } from "../../core/schema/table-options.ts";
import type { ModelSpec } from "../mapping/model-types.ts";
import { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { LoadStrategy, RelationshipSpec } from "../mapping/relationship.ts";
import { unsetValueError } from "./unset-value-error.ts";
import { InstanceState, STATE, type StateMapper, UNLOADED } from "../state/instance-state.ts";
import type { SharedLoadState } from "../state/shared-load-state.ts";
import { putUnloaded } from "../state/slot-storage.ts";
import { ColumnProperty } from "./column-property.ts";
import { type RelationshipMapper, RelationshipProperty } from "./relationship-property.ts";
import { parkedCollection } from "./back-populates.ts";
import { unloadedAttributeError } from "./unloaded-attribute-error.ts";
import { Inheritance, type InheritingMapper, type PolymorphicLoad, inheritJoin, inheritedKeyColumns } from "./inheritance.ts";
import { bindClassAttributes } from "./class-attribute.ts";
import { ExpressionProperty } from "./expression-property.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";

/** Resolves relationship targets by name: implemented by the registry. */
export interface MapperRegistry {
  resolve(target: RelationshipSpec<unknown, LoadStrategy>["target"], from: string): Mapper;
  register(...classes: readonly (abstract new (...args: never[]) => object)[]): void;
}

/** `ModelOptions` as the mapper reads them, without the types tied to the declaration. */
export interface MapperOptions {
  readonly versionIdCol?: string;
  readonly versionIdGenerator?: ((current: unknown) => unknown) | false;
  /** Constraints, indexes and options of the model's table (`ModelOptions.tableArgs`). */
  readonly tableArgs?: readonly TableArg<never>[];
  /** The discriminator column attribute of an inheritance hierarchy's base (`ModelOptions.polymorphicOn`). */
  readonly polymorphicOn?: string;
  /** This class's discriminator value (`ModelOptions.polymorphicIdentity`). */
  readonly polymorphicIdentity?: unknown;
  /** How a base-class query loads this subclass's own columns (`ModelOptions.polymorphicLoad`). */
  readonly polymorphicLoad?: PolymorphicLoad;
  /** Concrete-table inheritance: the subclass's own table holds every column (`SubclassOptions.concrete`). */
  readonly concrete?: boolean;
}

let nextMapperId = 0;

/**
 * Class ↔ table: the model's properties, their slots in instance state, its primary key and
 * identity keys, and how instances are created from rows.
 */
export class Mapper implements StateMapper, RelationshipMapper {
  readonly id = ++nextMapperId;
  readonly table: Table;
  readonly columns: readonly ColumnProperty[];
  readonly relationships: readonly RelationshipProperty[];
  readonly primaryKey: readonly ColumnProperty[];
  readonly primaryKeySlots: readonly number[];
  #slotCount: number;
  readonly #expressions: ExpressionProperty[] = [];
  #loadedColumns: readonly ColumnProperty[] | undefined;
  /** The version counter column (`ModelOptions.versionIdCol`), if the model has one. */
  readonly versionColumn: ColumnProperty | undefined;
  /** The next version after `current` (`null` for a new row); `false`: the database makes it. */
  readonly versionGenerator: ((current: unknown) => unknown) | false;
  /** The anonymous base class `Base.model(...)` returned; accessors live on its prototype. */
  readonly base: abstract new (...args: never[]) => object;
  /** Its place in an inheritance hierarchy; `undefined` for a model that neither inherits nor is inherited from. */
  readonly inheritance: Inheritance | undefined;
  /** The mapper whose part of the identity map holds this one's instances: the hierarchy's base. */
  readonly identityMapper: Mapper;
  readonly #properties = new Map<string, ColumnProperty | RelationshipProperty>();
  readonly #bySlotList: (ColumnProperty | RelationshipProperty)[] = [];
  readonly #registry: MapperRegistry;
  /** The user's subclass, once seen (ADR 0002). */
  #modelClass: (abstract new (...args: never[]) => object) | undefined;

  /**
   * `parent`: the mapper this one inherits from; then `tableName` is the subclass's own table
   * (joined-table inheritance), or `null` to store its rows in the parent's (single-table).
   */
  constructor(
    registry: MapperRegistry,
    metadata: MetaData,
    tableName: string | null,
    spec: ModelSpec,
    base: abstract new (...args: never[]) => object,
    options: MapperOptions = {},
    parent?: Mapper,
  ) {
    this.#registry = registry;
    this.base = base;
    if (parent !== undefined) {
      this.table = tableName === null ? parent.table : new Table(tableName, metadata, columnSpecsOf(spec), ...((options.tableArgs ?? []) as never[]));
      if (tableName === null) for (const [key, value] of Object.entries(spec)) if (value instanceof MappedColumnSpec) parent.table.appendColumn(key, value.column);
    } else {
      if (tableName === null) throw new ArgumentError("A model that inherits from no other needs a table name");
      this.table = new Table(tableName, metadata, columnSpecsOf(spec), ...((options.tableArgs ?? []) as never[]));
    }
    // Concrete-table: the subclass's table holds all its columns, the parent's attributes redeclared (in their slots).
    const concrete = parent !== undefined && options.concrete === true;
    if (concrete && tableName === null) throw new ArgumentError("A concrete-table subclass needs a table of its own");
    const columns: ColumnProperty[] = concrete ? concreteColumns(parent, spec, this.table) : [...(parent?.columns ?? [])];
    const relationships: RelationshipProperty[] = concrete ? [] : [...(parent?.relationships ?? [])];
    if (parent !== undefined) this.#bySlotList.push(...parent.#bySlotList);
    for (const c of columns) this.#bySlotList[c.slot] = c;
    let slot = parent?.slotCount ?? 0;
    const own: ColumnProperty[] = [];
    for (const [key, value] of Object.entries(spec)) {
      // A joined subclass's key columns stand for the parent's key attributes, which keep their slots.
      if (value instanceof MappedColumnSpec && parent?.property(key)?.kind !== "column") {
        const property = new ColumnProperty(key, slot++, this.table.c[key] as never, value.deferred);
        own.push(property);
        this.#bySlotList[property.slot] = property;
      }
    }
    for (const [key, value] of Object.entries(spec)) {
      if (value.kind === "relationship") {
        const property = new RelationshipProperty(key, slot++, value, this);
        relationships.push(property);
        this.#bySlotList[property.slot] = property;
      }
    }
    columns.push(...own);
    this.columns = columns;
    this.relationships = relationships;
    this.#slotCount = slot;
    for (const p of [...columns, ...relationships]) this.#properties.set(p.key, p);
    this.primaryKey = (concrete ? undefined : parent?.primaryKey) ?? columns.filter((c) => c.column.primaryKey);
    this.primaryKeySlots = this.primaryKey.map((c) => c.slot);
    if (this.primaryKey.length === 0) {
      throw new InvalidRequestError(`Model for table "${tableName}" has no primary key; mark a column with primaryKey: true`);
    }
    if (concrete) {
      [this.versionColumn, this.versionGenerator] = [undefined, false];
    } else if (parent !== undefined) {
      this.versionColumn = parent.versionColumn;
      this.versionGenerator = parent.versionGenerator;
    } else {
      [this.versionColumn, this.versionGenerator] = versionCounter(tableName as string, columns, options);
    }
    this.inheritance = inheritanceOf(this, parent, own, options);
    // A concrete class's rows are in a table of their own: keys of its own, not the base's.
    this.identityMapper = concrete ? this : ((this.inheritance?.root as Mapper | undefined) ?? this);
    if (parent !== undefined && !concrete) this.#keyPrefix = parent.#keyPrefix;
  }

  /** Slots of instance state: columns, then relationships, then mapped expressions. */
  get slotCount(): number {
    return this.#slotCount;
  }

  /** Mapped SQL expressions (`columnProperty()`), in slots after the relationships. */
  get expressions(): readonly ExpressionProperty[] {
    return this.#expressions;
  }

  /** What an entity's SELECT loads by default: the columns and expressions not deferred. */
  get loadedColumns(): readonly ColumnProperty[] {
    return (this.#loadedColumns ??= this.columnsAndExpressions.filter((c) => !c.deferred));
  }

  /** The columns, then the mapped expressions, as loading sees them (an expression as a column it cannot write). */
  get columnsAndExpressions(): readonly ColumnProperty[] {
    return [...this.columns, ...(this.#expressions as readonly unknown[] as readonly ColumnProperty[])];
  }

  /** @internal Maps an SQL expression into a slot of its own (at class registration, before any instance exists). */
  addExpression(key: string, attribute: ColumnElement<unknown>, deferred: boolean): ExpressionProperty {
    const property = new ExpressionProperty(key, this.#slotCount++, attribute, deferred, this.table.node);
    this.#expressions.push(property);
    this.#bySlotList[property.slot] = property as unknown as ColumnProperty;
    this.#loadedColumns = undefined;
    return property;
  }

  #className: string | undefined;
  #keyPrefix = `${this.id}\u0001`;

  /** The model class's name (the table's until the class has been seen). */
  get className(): string {
    return this.#className ?? this.table.name;
  }

  get modelClass(): (abstract new (...args: never[]) => object) | undefined {
    return this.#modelClass;
  }

  /** @internal Records the user's subclass (first one seen wins). */
  registerClass(cls: abstract new (...args: never[]) => object): void {
    if (this.#modelClass !== undefined || cls === this.base) return;
    this.#modelClass = cls;
    this.#className = cls.name;
    // Every class has its own `name` and `length`; where a mapped attribute has that key, the
    // subclass's own property would hide the attribute, so it is redefined here.
    for (const key of Object.getOwnPropertyNames(cls)) {
      let attribute: PropertyDescriptor | undefined;
      // A subclass's base class has its own `name` too: the attribute is the nearest getter up the chain.
      for (let c: object | null = this.base; c !== null && attribute?.get === undefined; c = Object.getPrototypeOf(c)) attribute = Object.getOwnPropertyDescriptor(c, key);
      if (this.#properties.has(key) && attribute?.get) Object.defineProperty(cls, key, { configurable: true, get: attribute.get });
    }
    // Static computed attributes (`static shout = hybridProperty(…)`) learn their class and key.
    bindClassAttributes(this, cls);
  }

  /** Registers `cls` (a subclass of this mapper's base) with the registry, if it is not yet. */
  ensureRegistered(cls: abstract new (...args: never[]) => object): void {
    if (this.#modelClass !== cls && cls !== this.base) this.#registry.register(cls);
  }

  property(key: string): ColumnProperty | RelationshipProperty | undefined {
    return this.#properties.get(key);
  }

  relationship(key: string): RelationshipProperty | undefined {
    const p = this.#properties.get(key);
    return p?.kind === "relationship" ? p : undefined;
  }

  /** @internal RelationshipContext: finds a relationship's target mapper. */
  resolveTarget(spec: RelationshipSpec<unknown, LoadStrategy>): Mapper {
    return this.#registry.resolve(spec.target, this.className);
  }

  /** The identity-map key of a row of this mapper with these primary key values. */
  identityKey(primaryKey: readonly unknown[]): string {
    let key = this.#keyPrefix;
    for (let i = 0; i < primaryKey.length; i++) {
      if (i > 0) key += "\u0001";
      key += keyPart(primaryKey[i]);
    }
    return key;
  }

  /**
   * The key of an instance within this mapper's part of the identity map: a single-column key's
   * value itself when it is a number or a string (no allocation: the hot path of hydration),
   * otherwise the identity key string. `"5"` and `5` are different keys here, unlike in
   * `identityKey`; a lookup with the wrong type misses and the row's load then finds the instance.
   */
  identityValue(primaryKey: readonly unknown[]): unknown {
    return primaryKey.length === 1 ? this.identityValueOf(primaryKey[0]) : this.identityKey(primaryKey);
  }

  /** `identityValue` of a single-column primary key value. */
  identityValueOf(value: unknown): unknown {
    return typeof value === "number" || typeof value === "string" ? value : this.identityKey([value]);
  }

  /** The `identityValue` of an instance from its current primary key slots, or undefined while any is unset. */
  identityValueOfState(state: InstanceState): unknown {
    const primaryKey = this.primaryKey;
    if (primaryKey.length === 1) {
      const v = state.valueAt((primaryKey[0] as ColumnProperty).slot);
      return v === null || v === undefined || v === UNLOADED ? undefined : this.identityValueOf(v);
    }
    return this.identityKeyOfState(state);
  }

  /** The identity key of an instance from its current primary key slots, or undefined while any is unset. */
  identityKeyOfState(state: InstanceState): string | undefined {
    const pk: unknown[] = [];
    for (const c of this.primaryKey) {
      const v = state.valueAt(c.slot);
      if (v === null || v === undefined || v === UNLOADED) return undefined;
      pk.push(v);
    }
    return this.identityKey(pk);
  }

  #loadedInstance: (new () => object) | undefined;

  /**
   * A new instance of the model, every slot unloaded, without running its constructor (as loading
   * does); returns its state (`state.object` is the instance).
   */
  instantiate(): InstanceState {
    const object = this.#newLoaded();
    const state = new InstanceState(this, object);
    object[STATE] = state;
    return state;
  }

  /**
   * A new loaded instance holding `shared`, its load's state, instead of one of its own (ADR 0016
   * stage 3): every slot unloaded, in the order `instantiate` puts them, so both have one hidden class.
   */
  instantiateShared(shared: SharedLoadState): object {
    const object = this.#newLoaded();
    putUnloaded(object, this.slotCount, UNLOADED);
    object[STATE] = shared;
    return object;
  }

  #newLoaded(): Record<symbol, unknown> {
    const cls = this.#modelClass;
    if (cls === undefined) {
      throw new InvalidRequestError(
        `The model class for table "${this.table.name}" has not been registered yet, so its rows cannot be loaded. ` +
          `Import the module that defines it and register it: Base.register(ModelClass).`,
      );
    }
    return new (this.#loadedInstance ??= loadedInstanceConstructor(cls))() as Record<symbol, unknown>;
  }

  /**
   * StateMapper: an unloaded slot is read. New objects get defaults; anything else needs I/O. (A
   * persistent object's relationship is answered by its loader strategy, in the accessor the
   * strategy installed, before it gets here.)
   */
  readUnloaded(state: InstanceState, slot: number): unknown {
    const property = this.#bySlot(slot);
    if (!state.hasIdentity) {
      // A new object: null where the type admits it; a non-nullable column has no value to give yet.
      if (property.kind === "column") {
        // (A mapped expression's label declares no nullability: it reads null too.)
        if (property.column.nullable !== false) return null;
        throw unsetValueError(this.className, property);
      }
      if (!property.join.uselist) return null;
      const parked = (state.parkedCollections ??= new Map());
      let list = parked.get(slot);
      if (list === undefined) parked.set(slot, (list = parkedCollection(state, property)));
      return list;
    }
    // defer(…, { raiseload: true }): the query said a read of this column must not need a load.
    if (state.readOverrides?.has(slot)) throw new InvalidRequestError(`'${this.className}.${property.key}' is not available due to raiseload=True`);
    // A synchronous Session's object: the read loads it (an expired or deferred column). A mapped
    // expression (columnProperty) has no load of its own: its read raises, as under AsyncSession.
    const loadOnRead = state.owner?.loadOnRead;
    if (loadOnRead !== undefined && this.property(property.key) !== undefined) return loadOnRead(state, property.key);
    throw unloadedAttributeError(this, state, property);
  }

  /** `User(id=100)`. */
  describe(state: InstanceState): string {
    const pk = this.primaryKey
      .map((c, i) => `${c.key}=${formatValue(state.identity ? state.identity[i] : state.valueAt(c.slot))}`)
      .join(", ");
    return `${this.className}(${pk})`;
  }

  #bySlot(slot: number): ColumnProperty | RelationshipProperty {
    return this.#bySlotList[slot] as ColumnProperty | RelationshipProperty;
  }
}

/** A concrete subclass's redeclared parent columns, on its own table, in the parent's slots. */
function concreteColumns(parent: Mapper, spec: ModelSpec, table: Table): ColumnProperty[] {
  return parent.columns.map((p) => {
    const value = spec[p.key];
    if (!(value instanceof MappedColumnSpec)) {
      throw new ArgumentError(`The concrete-table subclass table "${table.name}" must declare every column of its parent; "${p.key}" is missing`);
    }
    return new ColumnProperty(p.key, p.slot, table.c[p.key] as never, value.deferred);
  });
}

function columnSpecsOf(spec: ModelSpec): Record<string, ColumnSpec<unknown>> {
  const columnSpecs: Record<string, ColumnSpec<unknown>> = {};
  for (const [key, value] of Object.entries(spec)) if (value instanceof MappedColumnSpec) columnSpecs[key] = value.column;
  return columnSpecs;
}

/**
 * The inheritance of a new mapper: none for a model without `polymorphicOn` and parent; for a
 * subclass, its parent's hierarchy extended (a base gets its own `Inheritance` on its first subclass).
 */
function inheritanceOf(mapper: Mapper, parent: Mapper | undefined, own: readonly ColumnProperty[], options: MapperOptions): Inheritance | undefined {
  if (parent === undefined) {
    if (options.polymorphicOn === undefined && options.polymorphicIdentity === undefined) return undefined;
    const on = options.polymorphicOn === undefined ? undefined : mapper.property(options.polymorphicOn);
    if (options.polymorphicOn !== undefined && on?.kind !== "column") {
      throw new ArgumentError(`Model for table "${mapper.table.name}": polymorphicOn "${options.polymorphicOn}" is not a column attribute of the model`);
    }
    const map = new Map<unknown, InheritingMapper>();
    if (options.polymorphicIdentity !== undefined) map.set(options.polymorphicIdentity, mapper);
    return new Inheritance({
      kind: null,
      parent: undefined,
      root: mapper,
      polymorphicOn: on as ColumnProperty | undefined,
      identity: options.polymorphicIdentity,
      polymorphicLoad: options.polymorphicLoad,
      polymorphicMap: map,
      tables: [mapper.table],
      tableColumns: new Map([[mapper.table, mapper.columns]]),
      from: mapper.table.node,
    });
  }
  if (options.polymorphicOn !== undefined) throw new ArgumentError(`${mapper.table.name}: polymorphicOn belongs on the base of the hierarchy`);
  // A base declared without polymorphicOn becomes the root of a hierarchy whose rows load as the class queried.
  const above = parent.inheritance ?? ((parent as { inheritance: Inheritance }).inheritance = baseWithout(parent));
  const concrete = options.concrete === true;
  const joined = !concrete && mapper.table !== parent.table;
  const map = above.polymorphicMap;
  if (options.polymorphicIdentity !== undefined) {
    const taken = map.get(options.polymorphicIdentity);
    if (taken !== undefined) throw new ArgumentError(`polymorphicIdentity ${JSON.stringify(options.polymorphicIdentity)} is taken by ${taken.className}`);
    map.set(options.polymorphicIdentity, mapper);
  }
  const tableColumns = new Map(above.tableColumns);
  let from = above.from;
  let tables = above.tables;
  if (concrete) {
    tables = [mapper.table];
    from = mapper.table.node;
    tableColumns.clear();
    tableColumns.set(mapper.table, mapper.columns);
  } else if (joined) {
    const keys = inheritedKeyColumns(mapper.table, parent.primaryKey, mapper.table.name);
    tableColumns.set(mapper.table, [...keys, ...own]);
    from = inheritJoin(above.from, mapper.table, keys, parent.primaryKey);
    tables = [...tables, mapper.table];
  } else {
    const base = mapper.table;
    tableColumns.set(base, [...(tableColumns.get(base) ?? []), ...own]);
  }
  const inheritance = new Inheritance({
    kind: concrete ? "concrete" : joined ? "joined" : "single",
    parent,
    root: above.root,
    polymorphicOn: concrete && above.polymorphicOn !== undefined ? (mapper.property(above.polymorphicOn.key) as ColumnProperty) : above.polymorphicOn,
    identity: options.polymorphicIdentity,
    polymorphicLoad: options.polymorphicLoad ?? (joined || concrete ? undefined : "inline"),
    polymorphicMap: map,
    tables,
    tableColumns,
    from,
  });
  above.subclasses.push(mapper);
  return inheritance;
}

function baseWithout(mapper: Mapper): Inheritance {
  return new Inheritance({
    kind: null,
    parent: undefined,
    root: mapper,
    polymorphicOn: undefined,
    identity: undefined,
    polymorphicLoad: undefined,
    polymorphicMap: new Map(),
    tables: [mapper.table],
    tableColumns: new Map([[mapper.table, mapper.columns]]),
    from: mapper.table.node,
  });
}

/** The version column and generator `options` name, checked against the columns. */
function versionCounter(
  tableName: string,
  columns: readonly ColumnProperty[],
  options: MapperOptions,
): [ColumnProperty | undefined, ((current: unknown) => unknown) | false] {
  const key = options.versionIdCol;
  if (key === undefined) {
    if (options.versionIdGenerator !== undefined) {
      throw new ArgumentError(`Model for table "${tableName}": versionIdGenerator needs versionIdCol, the column it versions`);
    }
    return [undefined, false];
  }
  const column = columns.find((c) => c.key === key);
  if (column === undefined) {
    throw new ArgumentError(`Model for table "${tableName}": versionIdCol "${key}" is not a column attribute of the model`);
  }
  const generator = options.versionIdGenerator;
  if (generator !== undefined) return [column, generator];
  const one = column.column.type.kind === "bigint" ? 1n : 1;
  // SQLAlchemy's default: `(current or 0) + 1`, so a new row's version is 1.
  return [column, (current) => (current === null || current === undefined ? one : (current as number) + (one as number))];
}

/**
 * An empty constructor sharing the model's prototype: `new` on it makes instances of the model
 * (`instanceof`, methods, accessors) without running the model's constructor. Unlike
 * `Object.create(prototype)`, whose objects keep room for four properties, V8 sizes these to the
 * one property loading gives them (32 bytes instead of 59 measured; 10,000 rows per W1).
 */
function loadedInstanceConstructor(cls: abstract new (...args: never[]) => object): new () => object {
  const LoadedInstance = function (this: object) {} as unknown as new () => object;
  LoadedInstance.prototype = cls.prototype;
  return LoadedInstance;
}

function keyPart(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : String(value);
}

function formatValue(value: unknown): string {
  if (value === UNLOADED) return "?";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
