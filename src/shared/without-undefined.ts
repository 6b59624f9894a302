/**
 * The entries of `options` whose value is not `undefined`, so that spreading them over defaults
 * leaves the defaults where a caller passed `undefined` (as `exactOptionalPropertyTypes` allows).
 */
export function withoutUndefined<T extends object>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
