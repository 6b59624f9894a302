#!/usr/bin/env node
/**
 * `npm run bench [-- --db sqlite,postgresql --contenders raw,tsalchemy --workloads W1,W2
 *   --iterations 7 --warmup 2 --warmup-ms 500 --quick --json FILE
 *   --pg-via HOST:PORT --pg-prepared named|unnamed --no-heap --scale N --profile DIR
 *   --pair A,B --pair-iterations 30 --no-pair --minor-gc]`
 *
 * Warm-up: at least `--warmup` runs, and more (up to 50) until `--warmup-ms` have passed. W8
 * (bulk insert of 10,000 rows) times at most 7 iterations whatever `--iterations` says.
 *
 * PostgreSQL through a pooler: `--pg-via 127.0.0.1:6432` makes the contenders connect to that
 * host and port (a pgbouncer in front of the server at $BENCH_PG_URL) while the database is still
 * created, seeded and dropped over the direct admin URL. `--pg-prepared` gives tsalchemy's engine
 * `preparedStatements` (default: the engine's own, "named"); the other contenders keep their own
 * statement handling (raw: a counter-named statement per query text, `raw_1`, `raw_2`…).
 * `--scale N` (1–10) seeds N × 10,000 users (N × 10 per organization; posts on the first 10,000),
 * so `--scale 10 --workloads W1` reads 100,000 users: how the cost grows with rows.
 *
 * `--profile DIR` also runs each contender once more per workload under `node --cpu-prof` and
 * writes DIR/<db>-<contender>-<workload>.txt, the top functions by self time
 * (bench/profile-summary.mjs), beside the .cpuprofile files; the timed runs are not profiled.
 *
 * `--pair A,B` also runs A and B in one process on each database where both run, samples
 * alternating (A B B A …) with an untimed minor collection before each (bench/worker.ts `runPair`),
 * and prints B's median over A's: the comparison of two variants of one library, which separate
 * processes are too noisy for. Default on SQLite when both are among the contenders:
 * tsalchemy,tsalchemy-sync (the AsyncSession against the synchronous Session); `--no-pair` skips it.
 * `--pair tsalchemy@DIR,tsalchemy` measures a change against its baseline: DIR is another checkout
 * (a git worktree of the commit before), whose bench/contenders/tsalchemy.ts the pair loads.
 *
 * `--minor-gc` empties the young generation (an untimed minor collection) before each timed sample
 * of the suite, as `--pair` does: a diagnostic that separates the work from the scavenges a
 * contender's allocation causes inside its samples (a cost applications pay too, so not the default).
 *
 * `--no-heap` skips the W1 retained-heap process (a second process of the same contender, which
 * meets the named statements the first one left on a transaction pooler's server connections).
 *
 * Installs bench/'s own dependencies on first use (and generates the Prisma clients), seeds a
 * fresh database per run (SQLite file in a temp dir; a `tsa_bench_<pid>` database on the PostgreSQL
 * server at $BENCH_PG_URL or postgresql://postgres@127.0.0.1:5432/postgres, dropped after), runs
 * each contender in its own process, and prints median milliseconds per workload with the ratio
 * to the raw driver from the same run, and the heap W1's result retains. A contender whose data
 * is wrong fails the run (exit 1) after the others have been measured.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const ALL_CONTENDERS = ["raw", "raw-same-sql", "tsalchemy", "tsalchemy-sync", "drizzle", "mikroorm", "typeorm", "prisma", "sequelize", "kysely"];
const ALL_WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"];

const argv = process.argv.slice(2);
if (argv.includes("--help")) {
  console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
  process.exit(0);
}
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const list = (name, fallback, known) => {
  const values = option(name, fallback.join(",")).split(",");
  const unknown = values.filter((v) => !known.includes(v));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(", ")} (known: ${known.join(", ")})`);
  return values;
};
const quick = argv.includes("--quick");
const databases = list("--db", ["sqlite", "postgresql"], ["sqlite", "postgresql"]);
const contenders = list("--contenders", ALL_CONTENDERS, ALL_CONTENDERS);
const workloads = list("--workloads", ALL_WORKLOADS, ALL_WORKLOADS);
const iterations = option("--iterations", quick ? "3" : "7");
const warmup = option("--warmup", quick ? "1" : "2");
const warmupMs = option("--warmup-ms", quick ? "100" : "500");
const minorGc = argv.includes("--minor-gc") ? ["--minor", "1"] : [];
const jsonFile = option("--json", undefined);
const adminUrl = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const pgVia = option("--pg-via", undefined);
if (pgVia !== undefined && !/^[^:/\s]+:\d+$/.test(pgVia)) throw new Error(`--pg-via: expected HOST:PORT (got ${pgVia})`);
const pgPrepared = option("--pg-prepared", undefined);
if (pgPrepared !== undefined && pgPrepared !== "named" && pgPrepared !== "unnamed") throw new Error(`--pg-prepared: named or unnamed (got ${pgPrepared})`);
const measureHeap = !argv.includes("--no-heap");
const scale = option("--scale", "1");
if (!/^([1-9]|10)$/.test(scale)) throw new Error(`--scale: an integer from 1 to 10 (got ${scale})`);
const profileDir = option("--profile", undefined);
const pairOption = option("--pair", contenders.includes("tsalchemy") && contenders.includes("tsalchemy-sync") ? "tsalchemy,tsalchemy-sync" : undefined);
const pair = argv.includes("--no-pair") || pairOption === undefined ? undefined : pairOption.split(",");
const unknownInPair = (pair ?? []).filter((name) => !ALL_CONTENDERS.includes(name) && !/^tsalchemy(-sync)?@.+/.test(name));
if (unknownInPair.length) throw new Error(`--pair: unknown ${unknownInPair.join(", ")} (known: ${ALL_CONTENDERS.join(", ")}, or tsalchemy@DIR)`);
if (pair !== undefined && pair.length !== 2) throw new Error(`--pair: two contenders, A,B (got ${pair.join(",")})`);
const pairIterations = option("--pair-iterations", quick ? "10" : "30");

installOnFirstUse();

/** bench/'s dependencies live in bench/node_modules, installed from bench/package-lock.json. */
function installOnFirstUse() {
  const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
  const missing = Object.keys(manifest.dependencies).filter((name) => !existsSync(join(here, "node_modules", name, "package.json")));
  if (missing.length) {
    console.log(`Installing bench/ dependencies (missing: ${missing.join(", ")})…`);
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit" });
  }
  if (!contenders.includes("prisma")) return;
  for (const db of databases) {
    const schema = join(here, "prisma", `${db}.prisma`);
    const client = join(here, "generated", `prisma-${db}`, "client.ts");
    if (existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) continue;
    console.log(`Generating the Prisma client for ${db}…`);
    // `generate` needs no schema engine; pointing the variable at any file keeps it offline.
    execFileSync(join(here, "node_modules", ".bin", "prisma"), ["generate", "--schema", schema], {
      cwd: here,
      stdio: "inherit",
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  }
}

/** Runs bench/worker.ts in a fresh process (node `flags` first); returns its JSON lines, or throws with its stderr. */
function worker(args, flags = []) {
  const result = spawnSync(process.execPath, ["--expose-gc", ...flags, "--import", "tsx", join(here, "worker.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, BENCH_SCALE: scale },
  });
  if (result.status !== 0) throw new Error(`worker ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

function psql(sql) {
  execFileSync("psql", [adminUrl, "-q", "-c", sql], { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * One worker per workload under `--cpu-prof` (warm-up as configured, 100 iterations, W8 7, so that
 * start-up — module loading — is a small share), summarised by profile-summary.mjs into
 * DIR/<db>-<contender>-<workload>.txt.
 */
function profile(db, contender, common) {
  for (const workload of workloads) {
    const dir = join(profileDir, `${db}-${contender}-${workload}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    worker([...common, "--workloads", workload, "--iterations", "100", "--warmup", warmup, "--warmup-ms", warmupMs], ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(dir, f));
    const summary = execFileSync(process.execPath, [join(here, "profile-summary.mjs"), ...files, "30"], { encoding: "utf8" });
    writeFileSync(`${dir}.txt`, `${db} ${contender} ${workload}: CPU profile, self time (scale ${scale})\n\n${summary}`);
  }
}

const results = [];
const failures = [];
const pairs = [];
/** Whether both contenders measured every selected workload on `db` (the synchronous Session runs on SQLite only). */
const bothRun = (db, names) =>
  names.every((name) => workloads.every((w) => results.some((r) => r.db === db && r.contender === name && r.workload === w && r.medianMs !== undefined)));
for (const db of databases) {
  let url;
  let contenderUrl;
  let cleanup;
  if (db === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tsa-bench-"));
    url = `sqlite://${join(dir, "bench.db")}`;
    contenderUrl = url;
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  } else {
    // One database per run (named after this process), so that two runs at once do not drop each other's.
    const name = `tsa_bench_${process.pid}`;
    psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    psql(`CREATE DATABASE ${name}`);
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    // The contenders may connect through a pooler; seeding and DROP DATABASE stay direct.
    if (pgVia !== undefined) parsed.host = pgVia;
    contenderUrl = parsed.toString();
    cleanup = () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  const statementMode = db === "postgresql" && pgPrepared !== undefined ? ["--pg-prepared", pgPrepared] : [];
  try {
    console.log(`\n== ${db}: seeding 1,000 organizations, ${(Number(scale) * 10_000).toLocaleString("en-US")} users, 50,000 posts`);
    worker(["--seed", "1", "--url", url]);
    if (contenderUrl !== url || statementMode.length) {
      console.log(`   contenders connect to ${new URL(contenderUrl).host}${pgPrepared ? `, tsalchemy with preparedStatements: "${pgPrepared}"` : ""}`);
    }
    for (const contender of contenders) {
      process.stdout.write(`   ${contender}… `);
      const started = performance.now();
      try {
        const common = ["--contender", contender, "--url", contenderUrl, ...statementMode];
        const lines = worker([...common, "--workloads", workloads.join(","), "--iterations", iterations, "--warmup", warmup, "--warmup-ms", warmupMs, ...minorGc]);
        for (const line of lines) results.push({ db, contender, ...line });
        const w1 = results.find((r) => r.db === db && r.contender === contender && r.workload === "W1" && r.medianMs !== undefined);
        if (w1 && measureHeap) w1.heapBytes = worker([...common, "--heap", "1"])[0]?.heapBytes;
        if (profileDir !== undefined) profile(db, contender, common);
        const unsupported = lines.filter((l) => l.unsupported).map((l) => l.workload);
        console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s${unsupported.length ? ` (not supported yet: ${unsupported.join(", ")})` : ""}`);
      } catch (error) {
        console.log("FAILED");
        console.error(error.message);
        failures.push(`${db} ${contender}`);
      }
    }
    if (pair !== undefined && bothRun(db, pair.map((name) => name.replace(/@.*/, "")))) {
      process.stdout.write(`   ${pair.join(" + ")} paired… `);
      try {
        const common = ["--contender", pair[0], "--pair", pair[1], "--url", contenderUrl, ...statementMode];
        for (const line of worker([...common, "--workloads", workloads.join(","), "--iterations", pairIterations, "--warmup", warmup])) pairs.push({ db, ...line });
        console.log("done");
      } catch (error) {
        console.log("FAILED");
        console.error(error.message);
        failures.push(`${db} ${pair.join(" + ")} paired`);
      }
    }
  } finally {
    cleanup();
  }
}

for (const r of results) {
  const raw = results.find((x) => x.db === r.db && x.workload === r.workload && x.contender === "raw");
  r.ratioToRaw = raw?.medianMs && r.medianMs !== undefined ? r.medianMs / raw.medianMs : null;
}

const cell = (db, workload, contender) => {
  const r = results.find((x) => x.db === db && x.workload === workload && x.contender === contender);
  if (!r) return "—";
  if (r.unsupported) return "n/s";
  return r.ratioToRaw === null ? r.medianMs.toFixed(1) : `${r.medianMs.toFixed(1)} (${r.ratioToRaw.toFixed(2)}×)`;
};
for (const db of databases) {
  const via = db === "postgresql" && (pgVia || pgPrepared) ? ` [via ${pgVia ?? "direct"}, tsalchemy preparedStatements ${pgPrepared ?? "default"}]` : "";
  console.log(`\n${db}${via}: median ms (ratio to raw), ${iterations} timed iterations (W8: at most 7) after ≥ ${warmup} warm-up runs (more, up to 50, within ${warmupMs} ms)${minorGc.length > 0 ? ", a minor GC before each sample (--minor-gc)" : ""}`);
  const header = ["workload", ...contenders];
  const rows = workloads.map((w) => [w, ...contenders.map((c) => cell(db, w, c))]);
  const heap = [
    "W1 heap MB",
    ...contenders.map((c) => {
      const r = results.find((x) => x.db === db && x.workload === "W1" && x.contender === c);
      return r?.heapBytes !== undefined ? (r.heapBytes / 1048576).toFixed(1) : "—";
    }),
  ];
  const table = [header, ...rows, heap];
  const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
  for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));
}
console.log("\n(n/s: not supported by that contender yet; —: not run or failed)");

for (const db of databases) {
  const lines = pairs.filter((p) => p.db === db);
  if (lines.length === 0) continue;
  const [a, b] = lines[0].pair;
  console.log(`\n${db}: ${a} and ${b} paired in one process, median ms of ${pairIterations} samples each (W8: at most 7), alternating, minor GC before each`);
  const table = [["workload", a, b, `${b} / ${a}`], ...lines.map((l) => [l.workload, l.medianMs[0].toFixed(2), l.medianMs[1].toFixed(2), `${(l.medianMs[1] / l.medianMs[0]).toFixed(2)}×`])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
  for (const row of table) console.log(row.map((c, i) => String(c).padEnd(widths[i])).join("  "));
}

if (jsonFile) {
  const rows = results.map(({ db, workload, contender, medianMs, ratioToRaw, heapBytes }) => ({
    db,
    workload,
    contender,
    medianMs: medianMs ?? null,
    ratioToRaw,
    ...(heapBytes !== undefined ? { heapBytes } : {}),
    ...(db === "postgresql" && pgVia !== undefined ? { pgVia } : {}),
    ...(db === "postgresql" && pgPrepared !== undefined ? { pgPrepared } : {}),
  }));
  for (const { db, workload, pair: names, medianMs } of pairs) {
    rows.push({ db, workload, contender: names[1], pairedWith: names[0], medianMs: medianMs[1], ratioToPaired: medianMs[1] / medianMs[0] });
  }
  writeFileSync(jsonFile, `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`wrote ${jsonFile}`);
}

if (failures.length) {
  console.error(`\nFAILED (wrong data or an error): ${failures.join("; ")}`);
  process.exit(1);
}
