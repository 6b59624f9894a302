/**
 * The rows of an ORM result are tuples (`const [user, organization] = row`) whose elements can also
 * be read by key, as SQLAlchemy's `Row` allows (`row.User`, `row.name`). A row is an array whose
 * prototype, made once per list of keys, has a getter per key: each row carries nothing but its
 * elements. Rows are plain arrays given that prototype (`Object.setPrototypeOf`), which measured
 * as cheap as a plain array where `new` of an Array subclass cost twice as much per row.
 */

/** The prototype of the rows of one list of keys (an `Array.prototype` with getters). */
export type TupleRowPrototype = readonly unknown[];

// Bounded by the distinct key lists an application's statements have, like a compiled-SQL cache.
const prototypes = new Map<string, TupleRowPrototype>();

/**
 * The row prototype for `keys`. A key that is an index, or that names an array member (`length`,
 * `map`, `keys` …), is not given a getter: the array's own meaning wins, as a tuple method wins over
 * a column named `count` in SQLAlchemy; `mappings()` reads every key.
 */
export function tupleRowPrototype(keys: readonly string[]): TupleRowPrototype {
  const signature = keys.join("\u0000");
  let prototype = prototypes.get(signature);
  if (prototype === undefined) {
    prototype = definePrototype(keys);
    prototypes.set(signature, prototype);
  }
  return prototype;
}

/** Makes `values` (a fresh array) a row read by the keys of `prototype`; returns it. */
export function asTupleRow<T extends unknown[]>(values: T, prototype: TupleRowPrototype): T {
  Object.setPrototypeOf(values, prototype);
  return values;
}

function definePrototype(keys: readonly string[]): TupleRowPrototype {
  class Row extends Array<unknown> {
    // map(), filter() and slice() of a row are plain arrays, not rows with keys that no longer fit.
    static override get [Symbol.species](): ArrayConstructor {
      return Array;
    }
  }
  keys.forEach((key, index) => {
    if (/^\d+$/.test(key) || key in Row.prototype) return;
    Object.defineProperty(Row.prototype, key, {
      get(this: unknown[]) {
        return this[index];
      },
      enumerable: false,
      configurable: false,
    });
  });
  return Row.prototype;
}

/** A tuple row as a plain object by key (SQLAlchemy's `row._mapping`); the first of repeated keys wins. */
export function rowMapping(row: readonly unknown[], keys: readonly string[]): Record<string, unknown> {
  const mapping: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (Object.hasOwn(mapping, key)) continue;
    // A column keyed `__proto__` is a key like any other, not the object's prototype.
    if (key === "__proto__") Object.defineProperty(mapping, key, { value: row[i], enumerable: true, writable: true, configurable: true });
    else mapping[key] = row[i];
  }
  return mapping;
}
