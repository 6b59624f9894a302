import { afterEach, expect, it } from "vitest";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { Pool } from "../../../src/core/pool/pool.ts";
import { InvalidRequestError, TimeoutError } from "../../../src/index.ts";
import { ConnectionTracker } from "./tracked-connections.ts";

/**
 * The pool never has more connections open (or opening, or closing) than `size + maxOverflow`,
 * and gives every place back, whatever fails: invalidations racing new callers and waiters,
 * failed opens, failed pings, waiter timeouts, dispose. Real SQLite connections on a file.
 */
let tracker: ConnectionTracker;
let pool: Pool | undefined;

afterEach(async () => {
  await pool?.dispose();
  pool = undefined;
  tracker?.cleanUp();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("regression: concurrent invalidations never open more than poolSize (was 9+ open with poolSize 8)", async () => {
  tracker = new ConnectionTracker({ closeDelayMs: 5 });
  pool = new Pool(tracker.connect, { size: 8, maxOverflow: 0, timeoutMs: 5_000 });
  const held = await Promise.all(Array.from({ length: 8 }, () => pool!.acquire()));
  // Eight callers wait; then all eight connections break at once while eight more callers arrive.
  const waiting = Array.from({ length: 8 }, () => pool!.acquire());
  const invalidations = held.map((c) => pool!.invalidate(c));
  const arriving = Array.from({ length: 8 }, () => pool!.acquire());
  await Promise.all(invalidations);
  const firstServed = await Promise.all(waiting);
  expect(tracker.maxOpen).toBeLessThanOrEqual(8);
  // Break those too while the late arrivals still wait, then serve everyone.
  await Promise.all(firstServed.map((c) => pool!.invalidate(c)));
  const lateServed = await Promise.all(arriving);
  await Promise.all(lateServed.map((c) => pool!.release(c)));

  expect(tracker.maxOpen).toBeLessThanOrEqual(8);
  expect(pool.size).toBe(8);
  expect(tracker.open).toBe(8);
  await pool.dispose();
  expect(pool.size).toBe(0);
  expect(tracker.open).toBe(0);
});

it("many rounds of random invalidate / release / timeout under contention: open ≤ size + overflow, nothing leaked", async () => {
  tracker = new ConnectionTracker({ closeDelayMs: 2 });
  pool = new Pool(tracker.connect, { size: 3, maxOverflow: 2, timeoutMs: 15 });
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  let timeouts = 0;
  const worker = async () => {
    for (let i = 0; i < 25; i++) {
      let connection: DriverConnection;
      try {
        connection = await pool!.acquire();
      } catch (error) {
        expect(error).toBeInstanceOf(TimeoutError);
        timeouts++;
        continue;
      }
      await sleep(random() * 30);
      if (random() < 0.3) await pool!.invalidate(connection);
      else await pool!.release(connection);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  expect(timeouts).toBeGreaterThan(0);
  expect(tracker.maxOpen).toBeLessThanOrEqual(5);
  expect(pool.checkedOut).toBe(0);
  expect(pool.waiting).toBe(0);
  // Overflow connections were closed on return: at most `size` stay.
  expect(pool.size).toBe(pool.idle);
  expect(pool.idle).toBeLessThanOrEqual(3);
  expect(tracker.open).toBe(pool.size);
  // The whole capacity is still there.
  const all = await Promise.all(Array.from({ length: 5 }, () => pool!.acquire()));
  await expect(pool.acquire()).rejects.toBeInstanceOf(TimeoutError);
  await Promise.all(all.map((c) => pool!.release(c)));
});

it("overflow: size 2 + maxOverflow 1 serves three at once; the overflow connection closes on return", async () => {
  tracker = new ConnectionTracker();
  pool = new Pool(tracker.connect, { size: 2, maxOverflow: 1, timeoutMs: 50 });
  const [a, b, c] = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
  expect(pool.size).toBe(3);
  await expect(pool.acquire()).rejects.toThrow(/QueuePool limit of size 2 overflow 1 reached, connection timed out after 50 ms/);
  for (const connection of [a, b, c]) await pool.release(connection as DriverConnection);
  expect(pool.idle).toBe(2);
  expect(pool.size).toBe(2);
  expect(tracker.open).toBe(2);
});

it("failed opens give their place back: 100 failures, then the full capacity opens", async () => {
  tracker = new ConnectionTracker();
  pool = new Pool(tracker.connect, { size: 2, maxOverflow: 1, timeoutMs: 1_000 });
  tracker.failNextOpens = 100;
  for (let i = 0; i < 100; i++) await expect(pool.acquire()).rejects.toThrow(/Cannot open database/);
  expect(pool.size).toBe(0);
  const all = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
  expect(pool.size).toBe(3);
  await Promise.all(all.map((c) => pool!.release(c)));
});

it("a failed open while others wait hands its place to a waiter, who opens in it", async () => {
  tracker = new ConnectionTracker({ closeDelayMs: 5 });
  pool = new Pool(tracker.connect, { size: 1, maxOverflow: 0, timeoutMs: 1_000 });
  const held = await pool.acquire();
  const waiter = pool.acquire();
  tracker.failNextOpens = 1;
  // The holder's connection breaks; the waiter's open fails, and the place is free again.
  await pool.invalidate(held);
  await expect(waiter).rejects.toThrow(/Cannot open database/);
  expect(pool.size).toBe(0);
  const next = await pool.acquire();
  await pool.release(next);
  expect(tracker.maxOpen).toBe(1);
});

it("failed pre-pings replace the connection without leaking its place", async () => {
  tracker = new ConnectionTracker();
  pool = new Pool(tracker.connect, { size: 2, maxOverflow: 0, timeoutMs: 1_000, prePing: true });
  for (let round = 0; round < 20; round++) {
    const connection = await pool.acquire();
    await pool.release(connection);
    const tracked = tracker.connections.at(-1)!;
    tracked.hidesLoss = true;
    await tracked.breakUnderneath();
  }
  expect(pool.size).toBe(1);
  expect(tracker.open).toBe(1);
  expect(tracker.opened).toBe(20);
});

it("dispose: waiters are rejected, idle connections closed, checked-out ones closed on return; new checkouts refused", async () => {
  tracker = new ConnectionTracker({ closeDelayMs: 2 });
  pool = new Pool(tracker.connect, { size: 2, maxOverflow: 0, timeoutMs: 5_000 });
  const a = await pool.acquire();
  const b = await pool.acquire();
  await pool.release(b);
  const c = await pool.acquire();
  const waiters = [pool.acquire(), pool.acquire()];
  await pool.dispose();
  // Rejected by the dispose (InvalidRequestError), not left to their 5 s timeout (TimeoutError).
  for (const waiter of waiters) await expect(waiter).rejects.toBeInstanceOf(InvalidRequestError);
  await expect(pool.acquire()).rejects.toThrow(/disposed/);
  await pool.release(a);
  await pool.invalidate(c);
  expect(pool.size).toBe(0);
  expect(tracker.open).toBe(0);
});

it("a connection given back twice is refused, and counted once", async () => {
  tracker = new ConnectionTracker();
  pool = new Pool(tracker.connect, { size: 1, maxOverflow: 0, timeoutMs: 50 });
  const connection = await pool.acquire();
  await pool.release(connection);
  await expect(pool.release(connection)).rejects.toThrow(/not checked out/);
  await expect(pool.invalidate(connection)).rejects.toThrow(/not checked out/);
  expect(pool.size).toBe(1);
  expect(pool.idle).toBe(1);
});
