import { ArgumentError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { CompositeSpec } from "../mapping/composite.ts";
import type { SynonymSpec } from "../mapping/synonym.ts";
import { CompositeAttribute } from "./composite-attribute.ts";

type Attributes = Record<string, unknown>;

/**
 * A synonym's or composite's instance accessor, installed on the model's base prototype, and what
 * the class offers for it: given the class, the class-level attribute.
 */
export function installSpecAttribute(
  mapper: Mapper,
  key: string,
  spec: SynonymSpec<string> | CompositeSpec<unknown>,
  prototype: object,
): (cls: object) => unknown {
  if (spec.kind === "synonym") {
    const name = spec.name;
    if (mapper.property(name) === undefined) throw new ArgumentError(`${mapper.table.name}.${key}: synonym("${name}") names no column or relationship of the model`);
    Object.defineProperty(prototype, key, {
      configurable: true,
      enumerable: false,
      get(this: Attributes) {
        return this[name];
      },
      set(this: Attributes, value: unknown) {
        this[name] = value;
      },
    });
    return (cls) => (cls as Attributes)[name];
  }
  const columns = spec.keys.map((k) => {
    const property = mapper.property(k);
    if (property?.kind !== "column") throw new ArgumentError(`${mapper.table.name}.${key}: composite column "${k}" is not a column attribute of the model`);
    return property.column as TableColumn<unknown>;
  });
  const { keys, create, values } = spec;
  Object.defineProperty(prototype, key, {
    configurable: true,
    enumerable: false,
    get(this: Attributes) {
      return create(...(keys.map((k) => this[k]) as never[]));
    },
    set(this: Attributes, value: unknown) {
      const parts = value === null || value === undefined ? keys.map(() => null) : values(value);
      for (let i = 0; i < keys.length; i++) this[keys[i] as string] = parts[i];
    },
  });
  const attribute = new CompositeAttribute(key, spec, columns);
  return () => attribute;
}
