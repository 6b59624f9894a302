/**
 * One contender in its own process: `--seed` loads the data set into an empty database; otherwise
 * each selected workload is validated once, warmed up, then timed. Prints one JSON line per
 * workload: { workload, medianMs, samples (ms) }, { workload, heapBytes } with `--heap`, or
 * { workload, unsupported } when the contender cannot do it yet (it throws `NotSupported`). Wrong
 * data throws, and the process exits 1.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { DDL, generate } from "./data.ts";
import { type Contender, NotSupported, WORKLOADS, type Workload, validate } from "./workloads.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] as string, process.argv[i + 1] ?? "");
const url = args.get("--url") as string;
/** tsalchemy's `preparedStatements` on PostgreSQL (run.mjs `--pg-prepared`); unset: the engine's default. */
const pgPrepared = args.get("--pg-prepared") as "named" | "unnamed" | undefined;

/** Each contender's module and factory, loaded only in its own process. */
const CONTENDERS: Record<string, () => Promise<Contender>> = {
  raw: async () => (await import("./contenders/raw.ts")).rawContender(),
  "raw-same-sql": async () => (await import("./contenders/raw-same-sql.ts")).rawSameSqlContender(),
  tsalchemy: async () => (await import("./contenders/tsalchemy.ts")).tsalchemyContender(pgPrepared === undefined ? {} : { preparedStatements: pgPrepared }),
  "tsalchemy-sync": async () => (await import("./contenders/tsalchemy-sync.ts")).tsalchemySyncContender(),
  drizzle: async () => (await import("./contenders/drizzle.ts")).drizzleContender(),
  mikroorm: async () => (await import("./contenders/mikroorm.ts")).mikroormContender(),
  typeorm: async () => (await import("./contenders/typeorm.ts")).typeormContender(),
  prisma: async () => (await import("./contenders/prisma.ts")).prismaContender(),
  sequelize: async () => (await import("./contenders/sequelize.ts")).sequelizeContender(),
  kysely: async () => (await import("./contenders/kysely.ts")).kyselyContender(),
};

/**
 * `tsalchemy@DIR` (with `--pair`): tsalchemy's contender from the checkout at DIR, e.g. a git
 * worktree of the commit before a change, so that one process measures the change paired against
 * its baseline. Any contender name works; only the tsalchemy ones differ between checkouts.
 */
async function contenderFromTree(name: string, tree: string): Promise<Contender> {
  const file = { tsalchemy: "tsalchemy.ts", "tsalchemy-sync": "tsalchemy-sync.ts" }[name];
  if (file === undefined) throw new Error(`${name}@DIR: only tsalchemy and tsalchemy-sync load from another checkout`);
  const module = await import(join(resolve(tree), "bench", "contenders", file));
  const c: Contender = name === "tsalchemy" ? module.tsalchemyContender(pgPrepared === undefined ? {} : { preparedStatements: pgPrepared }) : module.tsalchemySyncContender();
  return { ...c, name: `${name}@${tree}` };
}

async function contender(name: string): Promise<Contender> {
  const at = name.indexOf("@");
  if (at > 0) return contenderFromTree(name.slice(0, at), name.slice(at + 1));
  const create = CONTENDERS[name];
  if (!create) throw new Error(`unknown contender ${name} (known: ${Object.keys(CONTENDERS).join(", ")})`);
  return create();
}

async function seed(): Promise<void> {
  const rows = generate();
  if (url.startsWith("sqlite:")) {
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(url.slice("sqlite://".length));
    for (const ddl of DDL) db.exec(ddl);
    db.transaction(() => {
      const o = db.prepare("INSERT INTO organizations VALUES (?, ?)");
      for (const r of rows.organizations) o.run(...r);
      const u = db.prepare("INSERT INTO users VALUES (?, ?, ?, ?)");
      for (const r of rows.users) u.run(...r);
      const p = db.prepare("INSERT INTO posts VALUES (?, ?, ?, ?)");
      for (const r of rows.posts) p.run(...r);
    })();
    db.close();
    return;
  }
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const ddl of DDL) await client.query(ddl);
  const insert = async (table: string, data: unknown[][]) => {
    for (let i = 0; i < data.length; i += 1000) {
      const chunk = data.slice(i, i + 1000);
      const width = (chunk[0] as unknown[]).length;
      const tuples = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`);
      await client.query(`INSERT INTO ${table} VALUES ${tuples.join(", ")}`, chunk.flat());
    }
  };
  await insert("organizations", rows.organizations);
  await insert("users", rows.users);
  await insert("posts", rows.posts);
  // Vacuumed and checkpointed so that the first contender does not pay for setting the fresh
  // rows' hint bits or for a checkpoint (run 1 of RESULTS.md saw raw, always first, slowest).
  await client.query("VACUUM (ANALYZE)");
  await client.query("CHECKPOINT");
  await client.end();
}

/**
 * Timed iterations at most, per workload: W8 (10,000 rows a run, up to about 1.5 s for the slowest
 * contender) keeps a full run's duration reasonable when `--iterations` asks for more.
 */
const MAX_ITERATIONS: Partial<Record<Workload, number>> = { W8: 7 };

/**
 * PostgreSQL: each workload starts from the table state the seed left. W6–W8 insert (and W7
 * updates) then roll back, which leaves dead row versions behind on PostgreSQL (not on SQLite,
 * whose rollback restores the pages): tens of thousands per contender, with organization ids in
 * the range W3/W4 then ask for by index, so that a later contender's selectin reads of W3 took
 * 70–98 ms against 18–28 ms on a clean table, a cost set by the order the contenders ran in.
 * Vacuumed (and checkpointed, as after seeding) over a connection of its own, untimed.
 */
function resetTables(): void {
  if (!url.startsWith("postgres")) return;
  execFileSync("psql", [url, "-q", "-c", "VACUUM (ANALYZE)", "-c", "CHECKPOINT"], { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * Each timed sample starts on an event-loop turn of its own, as an application's request does,
 * untimed. Samples chained in one microtask run never let the event loop turn, so the collector
 * tasks V8 posts (finishing a scavenge or a marking) waited and were charged to whichever sample
 * came next: a synchronous contender, which never yields inside a sample, paid for them all
 * (the synchronous Session's W2 on SQLite took 12.7–12.9 ms this way against 10.7–11.1 ms with the
 * turn; the AsyncSession's 10.3–11.0 either way, and PostgreSQL's figures did not move).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An untimed minor collection (node --expose-gc, which run.mjs passes); undefined without the flag. */
const minorGc = global.gc as unknown as ((options: { type: "minor" }) => void) | undefined;

/**
 * `--minor 1` (run.mjs `--minor-gc`): a minor collection before each timed sample of the suite, so
 * each starts with an empty young generation. A diagnostic: a sample then pays for scavenges only
 * if it allocates more than the young generation holds, so the figures show the work apart from
 * the collection cost its allocation brings on, which applications pay too.
 */
const minorBefore = args.has("--minor");
if (minorBefore && minorGc === undefined) throw new Error("--minor needs node --expose-gc (run.mjs passes it)");

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Heap retained by W1's result: after three warm-up runs (so that one-off costs, such as the
 * bytecode of code run the first time and compiled-statement caches, are not counted), the heap
 * while the result is held minus the heap once it is released, full collections each time. Each
 * step runs in a function of its own: a suspended async frame keeps the value it last awaited,
 * which hid the difference when this was measured in one frame (every contender came out at 0).
 */
async function measureHeap(c: Contender): Promise<number> {
  const used = () => {
    global.gc?.();
    global.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const warm = async () => {
    for (let i = 0; i < 3; i++) await c.W1();
  };
  const fill = async (box: { kept?: unknown }) => {
    box.kept = await c.W1();
  };
  await warm();
  const box: { kept?: unknown } = {};
  await fill(box);
  const held = used();
  box.kept = undefined;
  return held - used();
}

/**
 * `--pair B`: the contender and B in one process, samples alternating A B B A …, each preceded by
 * an untimed minor collection, so that neither is charged for the young garbage the other left
 * and both meet the same heap. Meant for two variants of one library over one driver (the
 * AsyncSession and the synchronous Session share all but the I/O edge): separate processes settle
 * into different collection rhythms, which moved either's medians by 10–30% between identical
 * runs on this machine, more than the difference being measured. Prints one line per workload:
 * { workload, pair: [A, B], medianMs: [a, b] }.
 */
async function runPair(a: Contender, b: Contender, workloads: Workload[], iterations: number, warmup: number): Promise<void> {
  if (minorGc === undefined) throw new Error("--pair needs node --expose-gc (run.mjs passes it)");
  for (const workload of workloads) {
    resetTables();
    validate(workload, await a[workload]());
    validate(workload, await b[workload]());
    for (let i = 0; i < warmup; i++) {
      await a[workload]();
      await b[workload]();
    }
    const samples: [number[], number[]] = [[], []];
    const rounds = Math.min(iterations, MAX_ITERATIONS[workload] ?? iterations);
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 === 0 ? [0, 1] : [1, 0]) {
        await nextTurn();
        minorGc({ type: "minor" });
        const start = performance.now();
        await (side === 0 ? a : b)[workload]();
        samples[side]?.push(performance.now() - start);
      }
    }
    console.log(JSON.stringify({ workload, pair: [a.name, b.name], medianMs: samples.map(median) }));
  }
}

async function main(): Promise<void> {
  if (args.has("--seed")) return seed();
  const workloads = (args.get("--workloads") ?? WORKLOADS.join(",")).split(",") as Workload[];
  if (args.has("--pair")) {
    const a = await contender(args.get("--contender") as string);
    const b = await contender(args.get("--pair") as string);
    await a.open(url);
    await b.open(url);
    try {
      await runPair(a, b, workloads, Number(args.get("--iterations") ?? 30), Number(args.get("--warmup") ?? 5));
    } finally {
      await b.close();
      await a.close();
    }
    return;
  }
  const c = await contender(args.get("--contender") as string);
  if (args.has("--heap")) {
    resetTables();
    await c.open(url);
    try {
      console.log(JSON.stringify({ workload: "W1", heapBytes: await measureHeap(c) }));
    } finally {
      await c.close();
    }
    return;
  }
  const iterations = Number(args.get("--iterations") ?? 7);
  const warmup = Number(args.get("--warmup") ?? 2);
  const warmupMs = Number(args.get("--warmup-ms") ?? 0);
  await c.open(url);
  try {
    for (const workload of workloads) {
      resetTables();
      const run = () => c[workload]() as Promise<unknown>;
      let first: unknown;
      try {
        first = await run();
      } catch (error) {
        if (!(error instanceof NotSupported)) throw error;
        console.log(JSON.stringify({ workload, unsupported: error.message }));
        continue;
      }
      validate(workload, first);
      // At least `warmup` runs, and more while they are cheap: fast workloads (a few ms) reach
      // optimised code this way without slow ones (a second) paying for it.
      const warmStart = performance.now();
      for (let i = 0; i < warmup || (i < 50 && performance.now() - warmStart < warmupMs); i++) await run();
      const samples: number[] = [];
      for (let i = 0; i < Math.min(iterations, MAX_ITERATIONS[workload] ?? iterations); i++) {
        await nextTurn();
        if (minorBefore) minorGc?.({ type: "minor" });
        const start = performance.now();
        await run();
        samples.push(performance.now() - start);
      }
      console.log(JSON.stringify({ workload, medianMs: median(samples), samples }));
    }
  } finally {
    await c.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
