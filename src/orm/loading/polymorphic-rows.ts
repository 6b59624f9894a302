import type { ColumnProperty } from "../mapper/column-property.ts";
import { descendants, isA } from "../mapper/inheritance.ts";
import type { Mapper } from "../mapper/mapper.ts";

/** One class a row of a polymorphic entity may be: its mapper, and the slot of each selected column (-1: not its column). */
export interface PolymorphicTarget {
  readonly mapper: Mapper;
  readonly slots: readonly number[];
}

/**
 * How the rows of an entity of an inheritance hierarchy become instances of the right class:
 * the discriminator's position among its columns, and per discriminator value the class and
 * where each column goes.
 */
export interface PolymorphicRows {
  /** Position (from the entity's offset) of the discriminator column; -1 when it is not selected. */
  readonly position: number;
  readonly byIdentity: ReadonlyMap<unknown, PolymorphicTarget>;
  readonly byMapper: ReadonlyMap<Mapper, PolymorphicTarget>;
  /** The queried class: for a row without a discriminator value. */
  readonly self: PolymorphicTarget;
  /** Subclasses whose own columns a SELECT per class loads after the rows (selectin polymorphic loading). */
  readonly selectin: readonly Mapper[];
}

/** Plans the rows of `mapper` (with columns `loaded`), or `undefined` when its hierarchy has no discriminator. */
export function polymorphicRows(mapper: Mapper, loaded: readonly ColumnProperty[], selectinOption: readonly Mapper[] | undefined): PolymorphicRows | undefined {
  const inheritance = mapper.inheritance;
  if (inheritance?.polymorphicOn === undefined) return undefined;
  const byMapper = new Map<Mapper, PolymorphicTarget>();
  const targetOf = (m: Mapper): PolymorphicTarget => {
    let target = byMapper.get(m);
    if (target === undefined) {
      // A concrete class's columns are its own (a UNION ALL lines them up by attribute).
      const byKey = m.inheritance?.kind === "concrete";
      target = {
        mapper: m,
        slots: loaded.map((c) => {
          const property = m.property(c.key);
          return property === c || (byKey && property?.kind === "column") ? (property as ColumnProperty).slot : -1;
        }),
      };
      byMapper.set(m, target);
    }
    return target;
  };
  const byIdentity = new Map<unknown, PolymorphicTarget>();
  for (const [value, m] of inheritance.polymorphicMap) if (isA(m, mapper)) byIdentity.set(value, targetOf(m as Mapper));
  const subclasses = descendants(mapper) as Mapper[];
  for (const sub of subclasses) targetOf(sub);
  const selectin = (selectinOption ?? subclasses.filter((s) => s.inheritance?.polymorphicLoad === "selectin")).filter((sub) =>
    sub.columns.some((c) => !c.deferred && !loaded.includes(c)),
  );
  return { position: loaded.indexOf(inheritance.polymorphicOn), byIdentity, byMapper, self: targetOf(mapper), selectin };
}
