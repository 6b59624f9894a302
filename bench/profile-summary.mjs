#!/usr/bin/env node
/**
 * `node bench/profile-summary.mjs [--inclusive] FILE.cpuprofile... [TOP]`: self time per function
 * of a V8 CPU profile (`node --cpu-prof`), as a share of all samples, with the file it lives in;
 * with `--inclusive`, the time spent in each function and everything it called. Used for
 * docs/performance.md: profile a worker with
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/worker.ts --contender tsalchemy
 *  --url sqlite:///path/bench.db --workloads W1 --iterations 200 --warmup 5`.
 */
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const inclusive = args[0] === "--inclusive";
if (inclusive) args.shift();
const top = /^\d+$/.test(args.at(-1) ?? "") ? Number(args.pop()) : 25;
if (!args.length) throw new Error("usage: profile-summary.mjs FILE.cpuprofile... [TOP]");
// `--cpu-prof` also profiles tsx's loader thread (idle nearly all the time): keep the profile
// with the most busy samples, and leave idle samples out of the shares.
const busy = (profile) => {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  return profile.samples.filter((id) => !idle.has(id));
};
const profile = args.map((file) => JSON.parse(readFileSync(file, "utf8"))).sort((a, b) => busy(b).length - busy(a).length)[0];
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const hits = new Map();
const samples = busy(profile);
for (const id of samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = samples.length;
const keyOf = (id) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  // tsx's transpiled modules report line 1 for everything: the file alone says where.
  const path = url.replace(/^file:\/\//, "").replace(/^.*\/(src|bench|node_modules)\//, "$1/");
  const where = !url ? "" : lineNumber > 0 ? `${path}:${lineNumber + 1}` : path;
  return `${functionName || "(anonymous)"}\t${where}`;
};
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const self = new Map();
for (const [id, count] of hits) {
  // Inclusive: every function on the sample's stack, once per sample even when it recurses.
  const keys = new Set([keyOf(id)]);
  if (inclusive) for (let up = parentOf.get(id); up !== undefined; up = parentOf.get(up)) keys.add(keyOf(up));
  for (const key of keys) self.set(key, (self.get(key) ?? 0) + count);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${total} busy samples\n`);
console.log(`| ${inclusive ? "inclusive" : "self"} | function | where |\n| ---: | --- | --- |`);
for (const [key, count] of rows) {
  const [name, where] = key.split("\t");
  console.log(`| ${((100 * count) / total).toFixed(1)}% | \`${name}\` | ${where} |`);
}
