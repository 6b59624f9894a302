import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../src/shared/errors.ts";
import { type Io, done, io, runAsync, runSync } from "../../../src/shared/io.ts";

/** Two I/O calls, a nested `yield*`, and a `finally` that records it ran. */
function* work(call: (n: number) => number | Promise<number>, log: string[]): Io<number> {
  try {
    const a = yield* io(call(1));
    const b = yield* inner(call, a);
    return a + b;
  } finally {
    log.push("finally");
  }
}
function* inner(call: (n: number) => number | Promise<number>, from: number): Io<number> {
  const value = yield* io(call(from + 1));
  return value * 10;
}

describe("the I/O edge (src/shared/io.ts)", () => {
  it("runSync drives synchronous answers to the end, through yield*", () => {
    const log: string[] = [];
    expect(runSync(work((n) => n, log))).toBe(21);
    expect(log).toEqual(["finally"]);
  });

  it("runAsync awaits promises and passes plain values back without awaiting", async () => {
    const log: string[] = [];
    expect(await runAsync(work(async (n) => n, log))).toBe(21);
    const plain = runAsync(work((n) => n, log));
    // No promise was yielded: the generator ran to its end before runAsync returned.
    expect(log).toEqual(["finally", "finally"]);
    expect(await plain).toBe(21);
  });

  it("a rejected promise is thrown back into the generator, where try/finally runs", async () => {
    const log: string[] = [];
    const failing = (n: number) => (n === 2 ? Promise.reject(new Error("lost")) : Promise.resolve(n));
    await expect(runAsync(work(failing, log))).rejects.toThrow("lost");
    expect(log).toEqual(["finally"]);
  });

  it("runSync refuses a promise with InvalidRequestError thrown into the generator", () => {
    const log: string[] = [];
    expect(() => runSync(work(async (n) => n, log))).toThrow(InvalidRequestError);
    expect(log).toEqual(["finally"]);
  });

  it("a generator may catch the error thrown back in and go on", () => {
    function* recovering(): Io<string> {
      try {
        yield* io(Promise.resolve(1));
        return "not reached";
      } catch (error) {
        return (error as Error).constructor.name;
      }
    }
    expect(runSync(recovering())).toBe("InvalidRequestError");
  });

  it("done() returns its value through yield* without a runner step", () => {
    function* outer(): Io<number> {
      return (yield* done(4)) + 1;
    }
    expect(runSync(outer())).toBe(5);
  });
});

describe("io() misuse", () => {
  it("refuses a generator (it must be composed with yield*, or it would silently never run)", () => {
    function* leaf(): Io<number> {
      return yield* io(1);
    }
    function* wrong(): Io<unknown> {
      return yield* io(leaf() as unknown as number);
    }
    expect(() => runSync(wrong())).toThrow(/yield\*/);
  });
});
