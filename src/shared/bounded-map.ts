/**
 * `map.set(key, value)`, first dropping the oldest entry when the map already holds `max`: the
 * compiled-statement caches keep a fixed number of shapes this way (insertion order is age).
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
