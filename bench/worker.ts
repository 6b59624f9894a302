/**
 * One contender in its own process: `--seed` loads the data set into an empty database; otherwise
 * each selected workload is validated once, warmed up, then timed. Prints one JSON line per
 * workload: { workload, samples (ms), heapBytes? }.
 */
import { DDL, generate } from "./data.ts";
import { type Contender, WORKLOADS, type Workload, validate } from "./workloads.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] as string, process.argv[i + 1] ?? "");
const url = args.get("--url") as string;

async function contender(name: string): Promise<Contender> {
  switch (name) {
    case "raw":
      return (await import("./contenders/raw.ts")).rawContender();
    case "tsalchemy":
      return (await import("./contenders/tsalchemy.ts")).tsalchemyContender();
    case "drizzle":
      return (await import("./contenders/drizzle.ts")).drizzleContender();
    case "kysely":
      return (await import("./contenders/kysely.ts")).kyselyContender();
    default:
      throw new Error(`unknown contender ${name}`);
  }
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
  await client.query("ANALYZE");
  await client.end();
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Retained heap of W1's result, in a fresh process: heap after loading and holding it minus the
 * heap before (full collections each time). Measured cold, because a warmed-up process was seen
 * to keep the previous result alive somewhere, hiding the difference; the first run's one-off
 * caches (a compiled statement, a mapper's templates) are included and small beside 10,000 rows.
 */
async function measureHeap(c: Contender): Promise<number> {
  const used = () => {
    global.gc?.();
    global.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const holder = globalThis as { benchKept?: unknown };
  const before = used();
  holder.benchKept = await c.W1();
  return used() - before;
}

async function main(): Promise<void> {
  if (args.has("--seed")) return seed();
  const c = await contender(args.get("--contender") as string);
  if (args.has("--heap")) {
    await c.open(url);
    try {
      console.log(JSON.stringify({ workload: "W1", heapBytes: await measureHeap(c) }));
    } finally {
      await c.close();
    }
    return;
  }
  const workloads = (args.get("--workloads") ?? WORKLOADS.join(",")).split(",") as Workload[];
  const iterations = Number(args.get("--iterations") ?? 7);
  const warmup = Number(args.get("--warmup") ?? 2);
  await c.open(url);
  try {
    for (const workload of workloads) {
      const run = () => c[workload]() as Promise<unknown>;
      validate(workload, await run());
      for (let i = 0; i < warmup; i++) await run();
      const samples: number[] = [];
      for (let i = 0; i < iterations; i++) {
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
