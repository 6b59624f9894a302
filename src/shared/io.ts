/**
 * The I/O edge shared by the asynchronous and the synchronous APIs (docs/adr/0014).
 *
 * Code that does I/O is written once, as a generator function returning `Io<T>`: it `yield`s each
 * I/O call's return value (a promise under `AsyncConnection`, the answer itself under the
 * synchronous `Connection`) through `io()`, and composes with other such functions by `yield*`.
 * A runner drives it: `runAsync` awaits what is yielded, `runSync` hands it straight back and
 * refuses a promise. Errors go back into the generator (`generator.throw`), so its `try`/`finally`
 * (roll back a failed flush, release a connection) is the same code on both sides.
 *
 * ```ts
 * function* countUsers(conn: AnyConnection): Io<number> {
 *   const result = yield* io(conn.execute(select(func.count()).selectFrom(users)));
 *   return result.scalarOne();
 * }
 * await runAsync(countUsers(asyncConn)); // or: runSync(countUsers(syncConn))
 * ```
 */
import { InvalidRequestError } from "./errors.ts";

/** A generator doing I/O that returns `T` once a runner has driven it to its end. */
export type Io<T> = Generator<unknown, T, unknown>;

/** A value, or a promise of it: what an I/O call returns on either side of the edge. */
export type MaybePromise<T> = T | Promise<T>;

/** Yields one I/O call's outcome to the runner and returns its value (`yield* io(conn.execute(…))`). */
export function* io<T>(outcome: MaybePromise<T>): Io<T> {
  if (isIo(outcome)) throw new TypeError("io() was given a generator: compose it with yield* instead, or it never runs");
  return (yield outcome) as T;
}

/** A generator object (an `Io` passed where an I/O call's outcome belongs). */
function isIo(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as Io<unknown>).throw === "function" && typeof (value as Io<unknown>).next === "function";
}

/** The value of an `Io` that does no I/O of its own yet (a base case, or an early return). */
export function* done<T>(value: T): Io<T> {
  return value;
}

/**
 * Drives `work` on the event loop: awaits each promise it yields (values that are not promises go
 * back at once, without a microtask) and throws the rejection back into it.
 */
export async function runAsync<T>(work: Io<T>): Promise<T> {
  let step = work.next();
  while (step.done !== true) {
    const yielded = step.value;
    if (!(yielded instanceof Promise)) {
      step = work.next(yielded);
      continue;
    }
    let answer: unknown;
    try {
      answer = await yielded;
    } catch (error) {
      step = work.throw(error);
      continue;
    }
    step = work.next(answer);
  }
  return step.value;
}

/**
 * Drives `work` to its end without yielding to the event loop. A promise yielded (an asynchronous
 * call reached from a synchronous API: an async event listener, an async driver) is refused with
 * `InvalidRequestError` thrown back into `work`, so its `finally` blocks run.
 */
export function runSync<T>(work: Io<T>): T {
  let step = work.next();
  while (step.done !== true) {
    const yielded = step.value;
    if (yielded instanceof Promise) {
      // Nobody will await it: keep a rejection from becoming an unhandled one.
      yielded.catch(() => {});
      step = work.throw(
        new InvalidRequestError(
          "An asynchronous call was reached from the synchronous API (a Session or Connection over better-sqlite3): " +
            "use AsyncSession / createAsyncEngine, or make the listener or callback synchronous",
        ),
      );
      continue;
    }
    step = work.next(yielded);
  }
  return step.value;
}
