#!/usr/bin/env node
/**
 * `node bench/report.mjs RUN1.json RUN2.json …`: Markdown tables for bench/RESULTS.md from the
 * `--json` files of several runs: per database, each cell is the ratio to raw of every run
 * ("1.74× / 3.19×") over the median milliseconds of every run, so the spread stays visible;
 * then the W1 retained heap, the targets of issue 17 checked against the worst run (≤ 1.3× raw,
 * faster than every other ORM, W1 retained heap ≤ 1.5× raw), and the paired rows (`--pair`) of
 * each run.
 */
import { readFileSync } from "node:fs";

const files = process.argv.slice(2).map((file) => JSON.parse(readFileSync(file, "utf8")));
if (!files.length) throw new Error("usage: report.mjs RUN.json…");
/** The paired rows (`--pair`) are reported apart: their medians come from another process and method. */
const runs = files.map((rows) => rows.filter((r) => r.pairedWith === undefined));
const paired = files.map((rows) => rows.filter((r) => r.pairedWith !== undefined));
const all = runs.flat();
const unique = (key) => [...new Set(all.map((r) => r[key]))];
const find = (run, db, workload, contender) => run.find((r) => r.db === db && r.workload === workload && r.contender === contender);
const ms = (v) => (v < 10 ? v.toFixed(1) : v.toFixed(0));

const contenders = unique("contender");
// raw-same-sql is the raw driver (with tsalchemy's statements), not another ORM.
const others = contenders.filter((c) => c !== "raw" && c !== "raw-same-sql" && c !== "tsalchemy" && c !== "tsalchemy-sync");
const RAW_TARGET = 1.3;
const HEAP_TARGET = 1.5;
for (const db of unique("db")) {
  console.log(`\n### ${db}: ratio to raw (each run) and median ms (each run)\n`);
  console.log(`| workload | ${contenders.join(" | ")} |`);
  console.log(`| --- |${contenders.map(() => " --- |").join("")}`);
  for (const workload of unique("workload")) {
    const cells = contenders.map((c) => {
      const rows = runs.map((run) => find(run, db, workload, c));
      if (rows.some((r) => !r || r.medianMs === null)) return "n/s";
      const ratios = c === "raw" ? "" : `${rows.map((r) => `${r.ratioToRaw.toFixed(2)}×`).join(" / ")}<br>`;
      return `${ratios}${rows.map((r) => ms(r.medianMs)).join(" / ")} ms`;
    });
    console.log(`| ${workload} | ${cells.join(" | ")} |`);
  }
  const heap = contenders.map((c) => runs.map((run) => find(run, db, "W1", c)?.heapBytes).map((b) => (b === undefined ? "—" : (b / 1048576).toFixed(1))).join(" / "));
  console.log(`| W1 retained heap, MB | ${heap.join(" | ")} |`);

  console.log(`\nTargets on ${db} (worst run counts):\n`);
  for (const workload of unique("workload")) {
    const ratios = runs.map((run) => find(run, db, workload, "tsalchemy")?.ratioToRaw).filter((r) => typeof r === "number");
    const worst = Math.max(...ratios);
    const beaten = others.filter((c) => runs.some((run) => (find(run, db, workload, c)?.medianMs ?? Infinity) < (find(run, db, workload, "tsalchemy")?.medianMs ?? Infinity)));
    console.log(
      `- ${workload}: ≤ ${RAW_TARGET}× raw ${worst <= RAW_TARGET ? "met" : `**missed** (up to ${worst.toFixed(2)}×)`}; faster than every other ORM ${beaten.length ? `**missed** (slower than ${beaten.join(", ")} in at least one run)` : "met"}`,
    );
  }
  const heapRatios = runs.map((run) => (find(run, db, "W1", "tsalchemy")?.heapBytes ?? NaN) / (find(run, db, "W1", "raw")?.heapBytes ?? NaN));
  const worstHeap = Math.max(...heapRatios);
  console.log(`- W1 retained heap ≤ ${HEAP_TARGET}× raw: ${worstHeap <= HEAP_TARGET ? "met" : `**missed** (${worstHeap.toFixed(1)}×)`}`);

  const pairs = paired.map((rows) => rows.filter((r) => r.db === db));
  if (pairs.every((rows) => rows.length === 0)) continue;
  const first = pairs.find((rows) => rows.length > 0)[0];
  console.log(`\nPaired in one process (\`--pair\`): ${first.contender} / ${first.pairedWith}, median ratio of each run\n`);
  console.log(`| workload | ${pairs.map((_, i) => `run ${i + 1}`).join(" | ")} |`);
  console.log(`| --- |${pairs.map(() => " --- |").join("")}`);
  for (const workload of unique("workload")) {
    const cells = pairs.map((rows) => rows.find((r) => r.workload === workload)).map((r) => (r ? `${r.ratioToPaired.toFixed(2)}×` : "—"));
    console.log(`| ${workload} | ${cells.join(" | ")} |`);
  }
}
