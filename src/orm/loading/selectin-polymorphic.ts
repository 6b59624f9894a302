import { ArgumentError } from "../../shared/errors.ts";
import { isA } from "../mapper/inheritance.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";

type ModelClass = abstract new (...args: never[]) => object;

/** The statement option `selectinPolymorphic()` makes. */
export class SelectinPolymorphicOption {
  readonly base: Mapper;
  readonly classes: readonly Mapper[];

  constructor(base: Mapper, classes: readonly Mapper[]) {
    this.base = base;
    this.classes = classes;
  }

  toString(): string {
    return `selectinPolymorphic(${this.base.className}, [${this.classes.map((c) => c.className).join(", ")}])`;
  }
}

/**
 * Loads the own columns of the named subclasses by one more SELECT per class after the rows of
 * `base` (SQLAlchemy's `selectin_polymorphic`), for the rows of that class the statement produced.
 *
 * ```ts
 * await session.scalars(select(Employee).options(selectinPolymorphic(Employee, [Manager, Engineer])));
 * // SELECT employees.id, employees.name, employees.type FROM employees
 * // SELECT employees.id, managers.id, managers.manager_name FROM employees JOIN managers ON employees.id = managers.id
 * //   WHERE employees.id IN (?, ?) ORDER BY employees.id
 * ```
 */
export function selectinPolymorphic(base: ModelClass, classes: readonly ModelClass[]): SelectinPolymorphicOption {
  const root = mapperOfClass(base);
  if (root === undefined) throw new ArgumentError(`selectinPolymorphic(): ${base.name} is not a mapped class`);
  root.ensureRegistered(base);
  const subs = classes.map((cls) => {
    const mapper = mapperOfClass(cls);
    if (mapper === undefined || mapper === root || !isA(mapper, root)) throw new ArgumentError(`selectinPolymorphic(): ${cls.name} is not a subclass of ${base.name}`);
    mapper.ensureRegistered(cls);
    return mapper;
  });
  return new SelectinPolymorphicOption(root, subs);
}
