/**
 * Kahn's algorithm with a binary heap: of the items whose predecessors are all placed, the
 * smallest by `compare` goes next, so ties follow `compare` and each step costs O(log n) (no
 * re-sort of the ready list). `after.get(x)` are the items that must come after `x`. Items left
 * over sit on or behind a cycle: `cycle` is one such cycle, in order, for the error message.
 */
export function topologicalSort<T>(
  items: readonly T[],
  after: ReadonlyMap<T, ReadonlySet<T>>,
  compare: (a: T, b: T) => number,
): { readonly ordered: T[]; readonly cycle: T[] } {
  if (after.size === 0) return { ordered: [...items].sort(compare), cycle: [] };
  const blockers = new Map<T, number>();
  for (const item of items) blockers.set(item, 0);
  for (const [first, dependents] of after) {
    if (!blockers.has(first)) continue;
    for (const d of dependents) if (blockers.has(d) && d !== first) blockers.set(d, (blockers.get(d) as number) + 1);
  }
  const ready = new Heap(compare);
  for (const item of items) if (blockers.get(item) === 0) ready.push(item);
  const ordered: T[] = [];
  for (let next = ready.pop(); next !== undefined; next = ready.pop()) {
    ordered.push(next.value);
    for (const dependent of after.get(next.value) ?? []) {
      const left = blockers.get(dependent);
      if (left === undefined || dependent === next.value) continue;
      blockers.set(dependent, left - 1);
      if (left === 1) ready.push(dependent);
    }
  }
  if (ordered.length === items.length) return { ordered, cycle: [] };
  const placed = new Set(ordered);
  return { ordered, cycle: findCycle(items.filter((i) => !placed.has(i)), after) };
}

/** One cycle among `stuck` (each of which has a predecessor that is stuck too). */
function findCycle<T>(stuck: readonly T[], after: ReadonlyMap<T, ReadonlySet<T>>): T[] {
  const inStuck = new Set(stuck);
  // Walk backwards: every stuck item has a stuck predecessor, so the walk must revisit one.
  const before = new Map<T, T>();
  for (const [first, dependents] of after) {
    if (!inStuck.has(first)) continue;
    for (const d of dependents) if (inStuck.has(d) && d !== first && !before.has(d)) before.set(d, first);
  }
  const path: T[] = [];
  const seenAt = new Map<T, number>();
  let current: T | undefined = stuck[0];
  while (current !== undefined && !seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    current = before.get(current);
  }
  if (current === undefined) return [...stuck];
  return path.slice(seenAt.get(current)).reverse();
}

/** A binary min-heap by `compare`. */
class Heap<T> {
  readonly #items: T[] = [];
  readonly #compare: (a: T, b: T) => number;

  constructor(compare: (a: T, b: T) => number) {
    this.#compare = compare;
  }

  push(value: T): void {
    const items = this.#items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#compare(items[i] as T, items[parent] as T) >= 0) break;
      [items[i], items[parent]] = [items[parent] as T, items[i] as T];
      i = parent;
    }
  }

  /** The smallest item, wrapped so that a falsy item is not mistaken for "empty". */
  pop(): { value: T } | undefined {
    const items = this.#items;
    if (items.length === 0) return undefined;
    const top = items[0] as T;
    const last = items.pop() as T;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.#compare(items[left] as T, items[smallest] as T) < 0) smallest = left;
        if (right < items.length && this.#compare(items[right] as T, items[smallest] as T) < 0) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] as T, items[i] as T];
        i = smallest;
      }
    }
    return { value: top };
  }
}
