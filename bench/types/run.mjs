// Type-check benchmark: generates the projects (generate.mjs), type-checks each with this
// repository's TypeScript (`tsc --noEmit --extendedDiagnostics --singleThreaded`; Drizzle's project
// with the same tsc) a few times, and prints the medians as a Markdown table.
//
//   npm run bench:types                       # 0 (baseline), 50 and 200 models, 200 queries, 3 runs
//   npm run bench:types -- --models 200 --runs 5 --queries 200 --json out.json
//   npm run bench:types -- --trace tsalchemy-200   # also writes a --generateTrace of that project
//
// tsalchemy's projects import ../../../../src/index.ts: the library's sources are part of the
// program and checked with it (Drizzle ships .d.ts, skipped by skipLibCheck); the 0-model rows
// measure that fixed cost, so "Δ over baseline" is what the models and queries add.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, generatedDir } from "./generate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(join(root, "package.json"));
const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const models = arg("models", "0,50,200").split(",").map(Number);
const queries = Number(arg("queries", "200"));
const runs = Number(arg("runs", "3"));
const only = arg("only", undefined)?.split(",");
const traceProject = arg("trace", undefined);
const jsonOut = arg("json", undefined);

const version = spawnSync(process.execPath, [tsc, "--version"], { encoding: "utf8" }).stdout.trim();

/** One check: tsc's own figures (its --extendedDiagnostics block), the error count and wall time. */
function check(dir, extra = []) {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--noEmit", "--extendedDiagnostics", "--singleThreaded", "--pretty", "false", ...extra], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const text = `${out.stdout}${out.stderr}`;
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s+([0-9.]+)([a-zA-Z]*)`, "m").exec(text);
    if (!m) throw new Error(`tsc printed no "${name}" for ${dir}:\n${text.slice(-2000)}`);
    return m[2] === "K" ? Number(m[1]) / 1024 : Number(m[1]);
  };
  const errors = text.match(/error TS\d+/g) ?? [];
  const codes = {};
  for (const e of errors) codes[e.slice(6)] = (codes[e.slice(6)] ?? 0) + 1;
  return {
    wall,
    check: field("Check time"),
    total: field("Total time"),
    memoryMB: field("Memory used"),
    instantiations: field("Instantiations"),
    types: field("Types"),
    files: field("Files"),
    errors: errors.length,
    codes,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const projects = generate({ models, queries }).filter((p) => !only || only.includes(p.orm));
const results = [];
for (const p of projects) {
  const samples = [];
  for (let r = 0; r < runs; r++) {
    samples.push(check(p.dir));
    process.stderr.write(`${p.orm}-${p.models}: run ${r + 1}/${runs}: check ${samples.at(-1).check.toFixed(2)} s, total ${samples.at(-1).total.toFixed(2)} s\n`);
  }
  const m = (k) => median(samples.map((s) => s[k]));
  results.push({
    orm: p.orm,
    models: p.models,
    queries: p.queries,
    check: m("check"),
    total: m("total"),
    wall: m("wall"),
    memoryMB: m("memoryMB"),
    instantiations: m("instantiations"),
    types: m("types"),
    files: samples[0].files,
    errors: samples[0].errors,
    codes: samples[0].codes,
    samples,
  });
}

if (traceProject) {
  const p = projects.find((x) => `${x.orm}-${x.models}` === traceProject);
  if (!p) throw new Error(`--trace ${traceProject}: no such project (one of ${projects.map((x) => `${x.orm}-${x.models}`).join(", ")})`);
  const traceDir = join(generatedDir, `trace-${traceProject}`);
  check(p.dir, ["--generateTrace", traceDir]);
  process.stderr.write(`trace of ${traceProject} in ${relative(root, traceDir)} (summarise: node bench/types/trace-summary.mjs ${relative(root, traceDir)})\n`);
}

const base = (orm) => results.find((r) => r.models === 0 && r.orm === orm.replace(/-asserted$/, ""));
const fmt = (x, d) => x.toFixed(d);
const int = (x) => Math.round(x).toLocaleString("en-US");
console.log(`\n${version}, \`tsc --noEmit --extendedDiagnostics --singleThreaded\`, median of ${runs} runs\n`);
console.log("| ORM | models | queries | check time (s) | total time (s) | memory (MB) | instantiations | types | errors | Δ check over baseline (s) | Δ instantiations |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  const b = base(r.orm);
  const delta = b && r.models > 0;
  console.log(
    `| ${r.orm} | ${r.models} | ${r.queries} | ${fmt(r.check, 2)} | ${fmt(r.total, 2)} | ${fmt(r.memoryMB, 0)} | ${int(r.instantiations)} | ${int(r.types)} | ${r.errors} | ${delta ? fmt(r.check - b.check, 2) : "—"} | ${delta ? int(r.instantiations - b.instantiations) : "—"} |`,
  );
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ tsc: version, runs, results }, null, 2)}\n`);
