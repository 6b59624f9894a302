/** A function registered for an event. */
export type AnyListener = (...args: any[]) => any;

/** How a listener is registered (SQLAlchemy's `event.listen(…, retval=…, once=…, insert=…, propagate=…)`). */
export interface ListenOptions {
  /** The listener's return value replaces the event's value (attribute `set`/`append`/`remove`, `beforeExecute`). */
  readonly retval?: boolean;
  /** Removed after its first call. */
  readonly once?: boolean;
  /** Runs before the listeners already registered instead of after them. */
  readonly insert?: boolean;
  /** Accepted for SQLAlchemy parity: mapper listeners always reach every class of the mapper. */
  readonly propagate?: boolean;
}

/** A registered listener: the user's function (for `remove`) and the one that runs (a `once` wrapper). */
export interface Registered<F extends AnyListener> {
  readonly fn: F;
  readonly run: F;
  readonly retval: boolean;
}

/**
 * The listeners of one event target, by event name, in registration order. Firing code asks
 * `any` (a field read) before it builds an event's arguments, so an unobserved target costs
 * nothing more.
 */
export class ListenerRegistry<M extends { [K in keyof M]: AnyListener }> {
  readonly #byName = new Map<keyof M, Registered<M[keyof M]>[]>();
  /** Whether any listener is registered (for any event). */
  any = false;

  add<K extends keyof M>(name: K, fn: M[K], options: ListenOptions = {}): void {
    let list = this.#byName.get(name);
    if (list === undefined) this.#byName.set(name, (list = []));
    const run = options.once === true ? this.#once(name, fn) : fn;
    const entry = { fn, run, retval: options.retval === true } as Registered<M[keyof M]>;
    if (options.insert === true) list.unshift(entry);
    else list.push(entry);
    this.any = true;
  }

  /** Removes `fn` from `name`; whether it was registered. */
  remove<K extends keyof M>(name: K, fn: M[K]): boolean {
    const list = this.#byName.get(name);
    const index = list?.findIndex((entry) => entry.fn === fn) ?? -1;
    if (list === undefined || index < 0) return false;
    list.splice(index, 1);
    if (list.length === 0) this.#byName.delete(name);
    this.any = this.#byName.size > 0;
    return true;
  }

  contains<K extends keyof M>(name: K, fn: M[K]): boolean {
    return this.#byName.get(name)?.some((entry) => entry.fn === fn) ?? false;
  }

  /** The listeners of `name` (a copy: a listener may remove itself while they run), or undefined when none. */
  listeners<K extends keyof M>(name: K): readonly Registered<M[K]>[] | undefined {
    if (!this.any) return undefined;
    const list = this.#byName.get(name);
    return list === undefined ? undefined : ([...list] as unknown as Registered<M[K]>[]);
  }

  #once<K extends keyof M>(name: K, fn: M[K]): M[K] {
    const wrapper = ((...args: unknown[]) => {
      this.remove(name, fn);
      return fn(...args);
    }) as M[K];
    return wrapper;
  }
}

/** The listeners of `name` in several registries (the widest scope first), or undefined when none. */
export function listenersIn<M extends { [K in keyof M]: AnyListener }, K extends keyof M>(
  registries: readonly (ListenerRegistry<M> | undefined)[],
  name: K,
): Registered<M[K]>[] | undefined {
  let out: Registered<M[K]>[] | undefined;
  for (const registry of registries) {
    const found = registry?.listeners(name);
    if (found !== undefined) (out ??= []).push(...found);
  }
  return out;
}

/**
 * The listeners one object hears: the registries it shares with others (its engine's; every
 * session's and its sessionmaker's), widest first, then its own, made on first use. Firing code
 * asks `any` before it builds a listener's arguments, so an object nobody listens to pays a few
 * field reads.
 */
export class LayeredListeners<M extends { [K in keyof M]: AnyListener }> {
  readonly #shared: readonly (ListenerRegistry<M> | undefined)[];
  #own: ListenerRegistry<M> | undefined;

  constructor(shared: readonly (ListenerRegistry<M> | undefined)[]) {
    this.#shared = shared;
  }

  /** The object's own listeners (`listen(conn, …)`, `listen(session, …)`). */
  get own(): ListenerRegistry<M> {
    return (this.#own ??= new ListenerRegistry<M>());
  }

  get any(): boolean {
    for (const registry of this.#shared) if (registry?.any === true) return true;
    return this.#own?.any === true;
  }

  /** The listeners of `name`, shared ones first, or undefined when none. */
  listeners<K extends keyof M>(name: K): Registered<M[K]>[] | undefined {
    return this.any ? listenersIn([...this.#shared, this.#own], name) : undefined;
  }
}
