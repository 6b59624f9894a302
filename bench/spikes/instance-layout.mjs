/**
 * ADR 0016's spike: the heap and the time of candidate instance layouts, 10,000 rows of 4 columns
 * into instances of 6 slots (4 columns, 2 relationships), outside tsalchemy.
 * `node --expose-gc bench/spikes/instance-layout.mjs raw|A|B|C|D`, one process per layout:
 *   raw  a plain object per row (what the raw contender keeps)
 *   A    today: the instance, an InstanceState of 8 fields, a values array
 *   B    the state made when needed: the instance keeps its values array and its owner
 *   C    values as in-object fields keyed by per-slot symbols; generic access by keyed load
 *   D    as C with plain field names ($0…) and generated per-slot readers
 * Heap per row excludes the strings (shared with the input rows), so raw's 64 B is its object.
 */
const N = 10_000, SLOTS = 6, UNLOADED = Symbol("u"), STATE = Symbol("state");
const rows = Array.from({ length: N }, (_, i) => [i + 1, `User ${i + 1}`, `user${i + 1}@example.com`, (i % 1000) + 1]);
class User {} // the model class (accessors would live on its prototype)
const owner = { name: "identity map" };
// A: today: instance + InstanceState (8 fields) + values array
class InstanceState { constructor(mapper, object, values) { this.mapper = mapper; this.object = object; this.values = values; this.key = undefined; this.status = "transient"; this.owner = undefined; this.loadOptions = undefined; this.extras = undefined; } }
function LoadedA() {} LoadedA.prototype = User.prototype;
const template = [UNLOADED, UNLOADED, UNLOADED, UNLOADED, UNLOADED, UNLOADED];
function hydrateA(r) { const v = template.slice(); v[0] = r[0]; v[1] = r[1]; v[2] = r[2]; v[3] = r[3]; const o = new LoadedA(); o[STATE] = new InstanceState("mapper", o, v); o[STATE].key = true; o[STATE].status = "persistent"; o[STATE].owner = owner; return o; }
const readA = (o, slot) => o[STATE].values[slot];
// B: state made when needed; values array + owner on the instance
const VALUES = Symbol("values"), OWNER = Symbol("owner");
function LoadedB(v) { this[VALUES] = v; this[OWNER] = owner; } LoadedB.prototype = User.prototype;
function hydrateB(r) { const v = template.slice(); v[0] = r[0]; v[1] = r[1]; v[2] = r[2]; v[3] = r[3]; return new LoadedB(v); }
const readB = (o, slot) => o[VALUES][slot];
// C: in-object fields keyed by per-slot symbols, generic access by keyed load
const S = Array.from({ length: SLOTS }, (_, i) => Symbol(`slot${i}`));
function LoadedC(a, b, c, d) { this[OWNER] = owner; this[S[0]] = a; this[S[1]] = b; this[S[2]] = c; this[S[3]] = d; this[S[4]] = UNLOADED; this[S[5]] = UNLOADED; } LoadedC.prototype = User.prototype;
const hydrateC = (r) => new LoadedC(r[0], r[1], r[2], r[3]);
const readC = (o, slot) => o[S[slot]];
// D: in-object fields with string names no user property can collide with? (generated class via new Function)
const D = new Function("owner", "UNLOADED", "proto", `function LoadedD(a,b,c,d){this.$o=owner;this.$0=a;this.$1=b;this.$2=c;this.$3=d;this.$4=UNLOADED;this.$5=UNLOADED} LoadedD.prototype=proto; return LoadedD;`)(owner, UNLOADED, User.prototype);
const hydrateD = (r) => new D(r[0], r[1], r[2], r[3]);
const readersD = Array.from({ length: SLOTS }, (_, i) => new Function("o", `return o.$${i}`));
const readD = (o, slot) => readersD[slot](o);
const raw = (r) => ({ id: r[0], name: r[1], email: r[2], organizationId: r[3] });
const variants = { raw: [raw, (o, s) => o.id], A: [hydrateA, readA], B: [hydrateB, readB], C: [hydrateC, readC], D: [hydrateD, readD] };
const pick = process.argv[2];
const [hydrate, read] = variants[pick];
const used = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const build = () => rows.map(hydrate);
for (let i = 0; i < 50; i++) build();
const base = used(); let kept = build(); const held = used(); const heap = (held - base) / N;
let t = performance.now(); for (let i = 0; i < 200; i++) kept = build(); const buildMs = (performance.now() - t) / 200;
let sum = 0; t = performance.now();
for (let rep = 0; rep < 200; rep++) for (let i = 0; i < N; i++) { const o = kept[i]; for (let s = 0; s < 4; s++) { const v = read(o, s); if (typeof v === "number") sum += v; } }
const readMs = (performance.now() - t) / 200;
console.log(`${pick.padEnd(4)} heap/row ${heap.toFixed(0).padStart(4)} B   build 10k ${buildMs.toFixed(2)} ms   generic read 40k ${readMs.toFixed(2)} ms  ${sum > 0 ? "" : "?"}`);
