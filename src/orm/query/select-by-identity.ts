import type { NamedParams } from "../../core/engine/executable.ts";
import { bindparam } from "../../core/sql/elements.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { EntitySelect } from "./entity-select.ts";
import { select } from "./orm-select.ts";

/**
 * `SELECT <entity> FROM <table> WHERE <pk> = ?…`: the statement behind `get()`, `refresh()`,
 * `merge()` and loading an expired parent's row.
 */
export function selectByIdentity<T extends object = object>(mapper: Mapper, identity: readonly unknown[]): EntitySelect<[T]> {
  const statement = select((mapper.modelClass ?? mapper.base) as never) as unknown as EntitySelect<[T]>;
  return statement.where(...mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never)));
}

/**
 * `selectByIdentity` with the key as named parameters, built once per mapper: the statement
 * object is reused, so its compilation and its loading plan are too (SQLAlchemy caches the
 * `get()` query per mapper as a lambda statement). Run it with `params(identity)`.
 */
export class GetStatement<T extends object = object> {
  readonly statement: EntitySelect<[T]>;
  readonly #names: readonly string[];
  #forUpdate: EntitySelect<[T]> | undefined;

  constructor(mapper: Mapper) {
    // Named after SQLAlchemy's `pk_1`…; distinct enough not to meet a user's bindparam in a loader option.
    this.#names = mapper.primaryKey.map((_, i) => `__get_pk_${i + 1}`);
    const statement = select((mapper.modelClass ?? mapper.base) as never) as unknown as EntitySelect<[T]>;
    this.statement = statement.where(...mapper.primaryKey.map((c, i) => c.column.eq(bindparam(this.#names[i] as string, c.column.type) as never)));
  }

  /** `... FOR UPDATE`, also built once. */
  get forUpdate(): EntitySelect<[T]> {
    this.#forUpdate ??= this.statement.forUpdate();
    return this.#forUpdate;
  }

  /** The named parameters for one key, in `mapper.primaryKey` order. */
  params(identity: readonly unknown[]): NamedParams {
    const params: Record<string, unknown> = {};
    for (let i = 0; i < this.#names.length; i++) params[this.#names[i] as string] = identity[i];
    return params;
  }
}

const lookups = new WeakMap<Mapper, GetStatement>();

/** The mapper's cached `get()` statement (see `GetStatement`). */
export function getStatement<T extends object>(mapper: Mapper): GetStatement<T> {
  let lookup = lookups.get(mapper);
  if (lookup === undefined) {
    lookup = new GetStatement(mapper);
    lookups.set(mapper, lookup);
  }
  return lookup as GetStatement<T>;
}
