/** Called after each in-place change with the contents before it. */
export type CollectionChange<T> = (before: T[], list: InstrumentedList<T>) => void;

/**
 * The array behind a collection relationship. Its mutating methods record the collection as
 * changed (for the flush) and keep `backPopulates` in step. Assigning an index directly
 * (`list[0] = x`) is not tracked: use `splice`, or assign a new array to the attribute.
 */
export class InstrumentedList<T> extends Array<T> {
  #onChange: CollectionChange<T> | undefined;

  /** `map`, `filter`, `slice` … return plain arrays, not tracked ones. */
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** @internal A tracked list holding `items`. */
  static tracking<T>(items: readonly T[], onChange: CollectionChange<T>): InstrumentedList<T> {
    const list = new InstrumentedList<T>();
    // Index stores, not the overridden push (it would record a change) nor a generic call per item.
    for (let i = 0; i < items.length; i++) list[i] = items[i] as T;
    list.#onChange = onChange;
    return list;
  }

  override push(...items: T[]): number {
    const before = this.slice();
    const length = super.push(...items);
    this.#changed(before);
    return length;
  }

  override unshift(...items: T[]): number {
    const before = this.slice();
    const length = super.unshift(...items);
    this.#changed(before);
    return length;
  }

  override pop(): T | undefined {
    const before = this.slice();
    const item = super.pop();
    this.#changed(before);
    return item;
  }

  override shift(): T | undefined {
    const before = this.slice();
    const item = super.shift();
    this.#changed(before);
    return item;
  }

  override splice(start: number, deleteCount?: number, ...items: T[]): T[] {
    const before = this.slice();
    const removed = deleteCount === undefined ? super.splice(start) : super.splice(start, deleteCount, ...items);
    this.#changed(before);
    return removed;
  }

  /** Removes the first occurrence of `item` (SQLAlchemy's `list.remove`). */
  remove(item: T): void {
    const index = this.indexOf(item);
    if (index >= 0) this.splice(index, 1);
  }

  #changed(before: T[]): void {
    this.#onChange?.(before, this);
  }
}
