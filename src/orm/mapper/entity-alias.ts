import type { Alias } from "../../core/sql/from-clause.ts";
import type { Mapper } from "./mapper.ts";

/**
 * Where an aliased entity (`aliased(User, { name: "manager" })`) keeps what it stands for: a
 * symbol, so layers below the query builders (relationship attributes' `ofType()`) can recognise
 * one without importing `aliased()` itself.
 */
export const ALIASED_ENTITY: unique symbol = Symbol.for("tsalchemy.aliasedEntity");

/** A mapped class under another name: its mapper, and the table alias its columns belong to. */
export interface AliasedEntity {
  readonly mapper: Mapper;
  readonly alias: Alias;
}

/** The aliased entity `value` is, or `undefined` when it is something else. */
export function aliasedEntityOf(value: unknown): AliasedEntity | undefined {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  return (value as { [ALIASED_ENTITY]?: AliasedEntity })[ALIASED_ENTITY];
}
