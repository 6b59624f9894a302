#!/usr/bin/env node
/**
 * `npm run bench [-- --db sqlite,postgresql --contenders raw,tsalchemy --workloads W1,W2 --iterations 7 --quick --json FILE]`
 *
 * Installs bench/'s own dependencies on first use, seeds a fresh database per run (SQLite file in
 * a temp dir; a `tsa_bench` database on the PostgreSQL server at $BENCH_PG_URL or
 * postgresql://postgres@127.0.0.1:5432/postgres), runs each contender in its own process, and
 * prints median milliseconds per workload with the ratio to the raw driver from the same run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const quick = argv.includes("--quick");
const databases = option("--db", "sqlite,postgresql").split(",");
const contenders = option("--contenders", "raw,tsalchemy,drizzle,kysely").split(",");
const workloads = option("--workloads", "W1,W2,W3,W4,W5,W6,W7");
const iterations = option("--iterations", quick ? "3" : "9");
const warmup = option("--warmup", quick ? "1" : "3");
const jsonFile = option("--json", undefined);

if (!existsSync(join(here, "node_modules"))) {
  console.log("Installing bench/ dependencies (first run)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit" });
}

const adminUrl = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function worker(args) {
  const result = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, "worker.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
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

const results = [];
for (const db of databases) {
  let url;
  let cleanup;
  if (db === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tsa-bench-"));
    url = `sqlite://${join(dir, "bench.db")}`;
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  } else {
    psql("DROP DATABASE IF EXISTS tsa_bench WITH (FORCE)");
    psql("CREATE DATABASE tsa_bench");
    const parsed = new URL(adminUrl);
    parsed.pathname = "/tsa_bench";
    url = parsed.toString();
    cleanup = () => psql("DROP DATABASE IF EXISTS tsa_bench WITH (FORCE)");
  }
  try {
    console.log(`\n== ${db}: seeding 1,000 organizations, 10,000 users, 50,000 posts`);
    worker(["--seed", "1", "--url", url]);
    for (const contender of contenders) {
      process.stdout.write(`   ${contender}… `);
      const lines = worker(["--contender", contender, "--url", url, "--workloads", workloads, "--iterations", iterations, "--warmup", warmup]);
      for (const line of lines) results.push({ db, contender, ...line });
      if (workloads.split(",").includes("W1")) {
        const [heap] = worker(["--contender", contender, "--url", url, "--heap", "1"]);
        const w1 = results.find((r) => r.db === db && r.contender === contender && r.workload === "W1");
        if (w1 && heap) w1.heapBytes = heap.heapBytes;
      }
      console.log("done");
    }
  } finally {
    cleanup();
  }
}

for (const r of results) {
  const raw = results.find((x) => x.db === r.db && x.workload === r.workload && x.contender === "raw");
  r.ratioToRaw = raw ? r.medianMs / raw.medianMs : null;
}

for (const db of databases) {
  console.log(`\n${db}: median ms (ratio to raw)`);
  const header = ["workload", ...contenders];
  const rows = workloads.split(",").map((w) => [
    w,
    ...contenders.map((c) => {
      const r = results.find((x) => x.db === db && x.workload === w && x.contender === c);
      return r ? `${r.medianMs.toFixed(1)} (${r.ratioToRaw.toFixed(2)}×)` : "—";
    }),
  ]);
  const heap = ["W1 heap MB", ...contenders.map((c) => {
    const r = results.find((x) => x.db === db && x.workload === "W1" && x.contender === c);
    return r?.heapBytes !== undefined ? (r.heapBytes / 1048576).toFixed(1) : "—";
  })];
  const table = [header, ...rows, heap];
  const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
  for (const row of table) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join("  "));
}

if (jsonFile) {
  writeFileSync(
    jsonFile,
    JSON.stringify(
      results.map(({ db, workload, contender, medianMs, ratioToRaw, heapBytes }) => ({ db, workload, contender, medianMs, ratioToRaw, heapBytes })),
      null,
      2,
    ),
  );
  console.log(`\nwrote ${jsonFile}`);
}
