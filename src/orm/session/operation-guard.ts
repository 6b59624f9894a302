import { IllegalStateChangeError } from "../../shared/errors.ts";

/**
 * One operation at a time on a session. A second operation started while one runs is refused
 * with `IllegalStateChangeError` (as SQLAlchemy's session state guard does) rather than
 * interleaved on the same connection; closing waits for the running one instead, so a call whose
 * `await` was forgotten still finishes, and its connection is released after it.
 */
export class OperationGuard {
  #busy: string | undefined;
  #running: Promise<unknown> | undefined;

  /**
   * Runs `work` as the session's one operation. The promise returned is the one close() waits on,
   * so public methods return it as it is: when close() or `await using` runs while the call is
   * still going (its `await` forgotten), the call's own caller is the one that sees its outcome,
   * and a rejection is not reported as unhandled in the meantime.
   */
  run<T>(method: string, work: () => Promise<T>): Promise<T> {
    if (this.#busy !== undefined) return Promise.reject(this.#refusal(method));
    return this.#hold(method, work);
  }

  /**
   * Runs `work` once the running operation (if any) has settled, refusing new operations from now
   * on. A second call while this runs joins it.
   */
  runAfterCurrent(method: string, work: () => Promise<void>): Promise<void> {
    if (this.#busy === method) return this.#running as Promise<void>;
    const current = this.#running;
    return this.#hold(method, () => (current === undefined ? work() : current.then(work, work)));
  }

  #hold<T>(method: string, work: () => Promise<T>): Promise<T> {
    this.#busy = method;
    let started: Promise<T>;
    try {
      started = work();
    } catch (error) {
      started = Promise.reject(error);
    }
    const running: Promise<T> = started.finally(() => {
      // runAfterCurrent may have taken over while this ran: then it clears the marks itself.
      if (this.#running === running) {
        this.#busy = undefined;
        this.#running = undefined;
      }
    });
    this.#running = running;
    return running;
  }

  #refusal(method: string): IllegalStateChangeError {
    return new IllegalStateChangeError(
      `Method '${method}()' can't be called here; method '${this.#busy}()' is already in progress and this would cause ` +
        "an unexpected state change. An AsyncSession is not safe for concurrent use: use one session per task.",
    );
  }
}
