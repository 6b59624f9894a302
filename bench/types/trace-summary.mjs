// Summarises a `tsc --generateTrace DIR` of one benchmark project (run.mjs --trace <project>):
// where check time went per file, the slowest expressions, and which declarations the types
// the checker created come from (by declaring file and by name), so the costly types can be named.
//
//   node bench/types/trace-summary.mjs bench/types/.generated/trace-tsalchemy-dts-200 [top=15]
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

const dir = process.argv[2];
const top = Number(process.argv[3] ?? 15);
if (!dir) throw new Error("usage: trace-summary.mjs TRACE_DIR [top]");
const legend = JSON.parse(readFileSync(join(dir, "legend.json"), "utf8"));
const trace = JSON.parse(readFileSync(legend[0].tracePath, "utf8"));
const types = legend.flatMap((l) => JSON.parse(readFileSync(l.typesPath, "utf8")));
const cwd = process.cwd();
const short = (p) => {
  if (!p) return "?";
  const m = /node_modules\/(.*)$/.exec(p);
  return m ? `node_modules/${m[1].replace(/^@typescript\/typescript-[^/]+\/lib\//, "typescript/lib/")}` : relative(cwd, p);
};
/** `file:line:column` of a trace event's character offset. */
const texts = new Map();
const at = (path, pos) => {
  if (pos === undefined) return short(path);
  try {
    if (!texts.has(path)) texts.set(path, readFileSync(path, "utf8"));
    const before = texts.get(path).slice(0, pos);
    const line = before.split("\n").length;
    return `${short(path)}:${line}:${pos - before.lastIndexOf("\n")}`;
  } catch {
    return `${short(path)}@${pos}`;
  }
};
const ms = (us) => (us / 1000).toFixed(1);
const table = (head, rows) => {
  console.log(`| ${head.join(" | ")} |`);
  console.log(`| ${head.map(() => "---").join(" | ")} |`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log();
};

// Check time per file (B/E pairs of checkSourceFile).
const open = new Map();
const perFile = [];
for (const e of trace) {
  if (e.name !== "checkSourceFile") continue;
  if (e.ph === "B") open.set(e.args.path, e.ts);
  else if (e.ph === "E") perFile.push({ path: e.args.path, dur: e.ts - open.get(e.args.path) });
}
perFile.sort((a, b) => b.dur - a.dur);
const total = perFile.reduce((s, f) => s + f.dur, 0);
console.log(`## ${short(legend[0].configFilePath)}\n\nchecked files: ${perFile.length}, ${ms(total)} ms in checkSourceFile; types created: ${types.length}\n`);
table(["check ms", "file"], perFile.slice(0, top).map((f) => [ms(f.dur), short(f.path)]));

// The slowest single checks (tsc records checkExpression etc. only when they take long).
const slow = trace.filter((e) => e.ph === "X" && e.cat?.startsWith("check")).sort((a, b) => b.dur - a.dur);
table(
  ["ms", "event", "where"],
  slow.slice(0, top).map((e) => [ms(e.dur), e.name, e.args?.path ? at(e.args.path, e.args.pos) : JSON.stringify(e.args ?? {}).slice(0, 80)]),
);

// Types by the declaration they come from: an instantiation counts for its generic's declaration.
const byId = new Map(types.map((t) => [t.id, t]));
const decl = (t, depth = 0) => {
  if (t.firstDeclaration) return t.firstDeclaration;
  if (depth < 5 && t.instantiatedType && t.instantiatedType !== t.id) {
    const target = byId.get(t.instantiatedType);
    if (target) return decl(target, depth + 1);
  }
  return undefined;
};
const fileCounts = new Map();
const nameCounts = new Map();
for (const t of types) {
  const d = decl(t);
  const file = d ? short(d.path) : "(no declaration: unions, intersections, literals…)";
  fileCounts.set(file, (fileCounts.get(file) ?? 0) + 1);
  if (d) {
    const kind = t.conditionalCheckType ? "conditional" : t.indexedAccessObjectType ? "indexed access" : t.intersectionTypes ? "intersection" : t.unionTypes ? "union" : t.instantiatedType ? "instantiation" : "object";
    const key = `${t.symbolName ?? "(anonymous)"} @ ${short(d.path)}:${d.start.line}`;
    const row = nameCounts.get(key) ?? { n: 0, kinds: new Set() };
    row.n++;
    row.kinds.add(kind);
    nameCounts.set(key, row);
  }
}
table(["types", "declared in"], [...fileCounts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([f, n]) => [n, f]));
table(
  ["types", "symbol @ declaration", "kinds"],
  [...nameCounts].sort((a, b) => b[1].n - a[1].n).slice(0, top).map(([k, r]) => [r.n, k, [...r.kinds].join(", ")]),
);
