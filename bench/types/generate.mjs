// Generates the type-check benchmark's projects into bench/types/.generated/ (not committed):
// for each model count, one tsalchemy project (models importing this repository's src/, so the
// current type-level code is what gets measured) and one Drizzle project (pgTable + relations(),
// relational queries) on the same schema, each with the same queries using 3-level loader chains
// whose results are read attribute by attribute, so the loaded-result types are exercised.
//
//   node bench/types/generate.mjs [--models 0,50,200] [--queries 200]
//
// Schema, for N models m0 … m{N-1} (indices mod N):
//   m{i}: id, name, note (nullable), score, ownerId → m{i-1}.id, refId → m{i+K}.id
//         owner: many-to-one m{i-1}     items: one-to-many m{i+1} (their owner)
//         ref:   many-to-one m{i+K}     refs:  one-to-many m{i-K} (their ref)
// Query q (i = q mod N) uses one of three chains (q mod 3), all 3 levels deep:
//   0: items → items → owner    (as users → posts → comments → author)
//   1: owner → refs → items
//   2: ref → items → ref
// tsalchemy: select(M).options(selectinload(A).selectinload(B).joinedload(C)) (the chain's last
// step joinedload for a many-to-one, selectinload for a collection); Drizzle: findMany({ with }).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
export const generatedDir = join(here, ".generated");

/** Offset of each model's `ref` target; not ±1 so owner/items and ref/refs never pair the same two models. */
const K = 7;
const QUERIES_PER_FILE = 20;

const mod = (i, n) => ((i % n) + n) % n;
const cls = (i) => `M${i}`;
const tbl = (i) => `m${i}`;

/** The chain for query q starting at model i: [relationship name, target index, is collection] × 3. */
function chain(q, i, n) {
  const step = (from, rel) => {
    switch (rel) {
      case "items": return { rel, to: mod(from + 1, n), many: true };
      case "owner": return { rel, to: mod(from - 1, n), many: false };
      case "refs": return { rel, to: mod(from - K, n), many: true };
      case "ref": return { rel, to: mod(from + K, n), many: false };
    }
    throw new Error(rel);
  };
  const names = [["items", "items", "owner"], ["owner", "refs", "items"], ["ref", "items", "ref"]][q % 3];
  const steps = [];
  let from = i;
  for (const rel of names) {
    const s = { from, ...step(from, rel) };
    steps.push(s);
    from = s.to;
  }
  return steps;
}

/** Reads every level's attributes: the same statements for both ORMs (only the fetch differs). */
function readBody(steps, access = (parent, s) => `${parent}.${s.rel}`) {
  const root = "r0";
  const lines = [];
  const vars = ["r0", "r1", "r2", "r3"];
  const indent = (d) => "  ".repeat(d + 2);
  lines.push(`${indent(0)}total += ${root}.score + ${root}.name.length + (${root}.note?.length ?? 0);`);
  let depth = 0;
  const close = [];
  steps.forEach((s, k) => {
    const parent = vars[k];
    const child = vars[k + 1];
    if (s.many) {
      lines.push(`${indent(depth)}for (const ${child} of ${access(parent, s, k)}) {`);
      depth++;
      close.push(depth);
    } else {
      lines.push(`${indent(depth)}{`);
      lines.push(`${indent(depth + 1)}const ${child} = ${access(parent, s, k)};`);
      depth++;
      close.push(depth);
    }
    lines.push(`${indent(depth)}total += ${child}.score + ${child}.id + ${child}.name.length;`);
  });
  while (close.length) {
    close.pop();
    depth--;
    lines.push(`${indent(depth)}}`);
  }
  return lines.join("\n");
}

function tsconfig(extra = {}) {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023", "ESNext.Disposable"],
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        types: ["node"],
        ...extra,
      },
      include: ["*.ts"],
    },
    null,
    2,
  )}\n`;
}

/**
 * reads "typed": every level read directly, as the Drizzle project does (the target API: the result
 * type knows what the whole chain loaded). reads "asserted": the levels below the first read through
 * an assertion (`r1.items as M2[]`), the documented way while options type their first step only.
 */
function tsalchemyProject(dir, n, queries, reads = "typed", entry = join(root, "src", "index.ts")) {
  const src = relative(dir, entry).split("\\").join("/");
  const models = [];
  models.push(`import { ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship } from "${src}";\n`);
  models.push(`export const Base = declarativeBase();\n`);
  for (let i = 0; i < n; i++) {
    const owner = mod(i - 1, n);
    const item = mod(i + 1, n);
    const ref = mod(i + K, n);
    const refBy = mod(i - K, n);
    models.push(`export class ${cls(i)} extends Base.model("${tbl(i)}", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(100), { nullable: false }),
  note: mappedColumn(StringType(200)),
  score: mappedColumn(Integer, { nullable: false }),
  ownerId: mappedColumn(Integer, ForeignKey("${tbl(owner)}.id"), { name: "owner_id", nullable: false }),
  refId: mappedColumn(Integer, ForeignKey("${tbl(ref)}.id"), { name: "ref_id", nullable: false }),
  owner: relationship<${cls(owner)}>("${cls(owner)}", { backPopulates: "items", foreignKeys: ["ownerId"] }),
  items: relationship<${cls(item)}[]>("${cls(item)}", { backPopulates: "owner", foreignKeys: ["ownerId"] }),
  ref: relationship<${cls(ref)}>("${cls(ref)}", { backPopulates: "refs", foreignKeys: ["refId"] }),
  refs: relationship<${cls(refBy)}[]>("${cls(refBy)}", { backPopulates: "ref", foreignKeys: ["refId"] }),
}) {}
`);
  }
  writeFileSync(join(dir, "models.ts"), models.join("\n"));
  for (let f = 0; f * QUERIES_PER_FILE < queries; f++) {
    const out = [];
    const used = new Set();
    const fns = [];
    for (let q = f * QUERIES_PER_FILE; q < Math.min(queries, (f + 1) * QUERIES_PER_FILE); q++) {
      const i = q % n;
      const steps = chain(q, i, n);
      used.add(cls(i));
      for (const s of steps) used.add(cls(s.from)).add(cls(s.to));
      const option = steps
        .map((s, k) => `${k === 0 ? "" : "."}${!s.many && k === steps.length - 1 ? "joinedload" : "selectinload"}(${cls(s.from)}.${s.rel})`)
        .join("");
      fns.push(`export async function q${q}(session: AsyncSession): Promise<number> {
  const rows = await session.scalars(select(${cls(i)}).options(${option}));
  let total = 0;
  for (const r0 of rows) {
${readBody(steps, reads === "asserted" ? assertedAccess : undefined)}
  }
  return total;
}
`);
    }
    out.push(`import { type AsyncSession, joinedload, select, selectinload } from "${src}";`);
    out.push(`import { ${[...used].sort().join(", ")} } from "./models.ts";\n`);
    out.push(...fns);
    writeFileSync(join(dir, `queries${f}.ts`), out.join("\n"));
  }
  writeFileSync(join(dir, "tsconfig.json"), tsconfig({ typeRoots: [relative(dir, join(root, "node_modules", "@types"))] }));
}

/** Below the first level: `(r1.items as M2[])`, `(r2.owner as M1)`. */
function assertedAccess(parent, s, k) {
  return k === 0 ? `${parent}.${s.rel}` : `(${parent}.${s.rel} as ${cls(s.to)}${s.many ? "[]" : ""})`;
}

function drizzleProject(dir, n, queries) {
  const schema = [];
  schema.push(`import { relations } from "drizzle-orm";`);
  schema.push(`import { type AnyPgColumn, integer, pgTable, varchar } from "drizzle-orm/pg-core";\n`);
  for (let i = 0; i < n; i++) {
    const owner = mod(i - 1, n);
    const item = mod(i + 1, n);
    const ref = mod(i + K, n);
    const refBy = mod(i - K, n);
    schema.push(`export const ${tbl(i)} = pgTable("${tbl(i)}", {
  id: integer("id").primaryKey(),
  name: varchar("name", { length: 100 }).notNull(),
  note: varchar("note", { length: 200 }),
  score: integer("score").notNull(),
  ownerId: integer("owner_id").notNull().references((): AnyPgColumn => ${tbl(owner)}.id),
  refId: integer("ref_id").notNull().references((): AnyPgColumn => ${tbl(ref)}.id),
});
export const ${tbl(i)}Relations = relations(${tbl(i)}, ({ one, many }) => ({
  owner: one(${tbl(owner)}, { fields: [${tbl(i)}.ownerId], references: [${tbl(owner)}.id], relationName: "owner" }),
  items: many(${tbl(item)}, { relationName: "owner" }),
  ref: one(${tbl(ref)}, { fields: [${tbl(i)}.refId], references: [${tbl(ref)}.id], relationName: "ref" }),
  refs: many(${tbl(refBy)}, { relationName: "ref" }),
}));
`);
  }
  writeFileSync(join(dir, "schema.ts"), schema.join("\n"));
  writeFileSync(
    join(dir, "db.ts"),
    `import { drizzle } from "drizzle-orm/node-postgres";
import * as schema from "./schema.ts";

export const db = drizzle(process.env.DATABASE_URL ?? "postgresql://localhost/bench", { schema });
export type Db = typeof db;
`,
  );
  for (let f = 0; f * QUERIES_PER_FILE < queries; f++) {
    const fns = [];
    for (let q = f * QUERIES_PER_FILE; q < Math.min(queries, (f + 1) * QUERIES_PER_FILE); q++) {
      const i = q % n;
      const steps = chain(q, i, n);
      let withClause = "true";
      for (let k = steps.length - 1; k >= 0; k--) withClause = k === steps.length - 1 ? `{ ${steps[k].rel}: true }` : `{ ${steps[k].rel}: { with: ${withClause} } }`;
      fns.push(`export async function q${q}(db: Db): Promise<number> {
  const rows = await db.query.${tbl(i)}.findMany({ with: ${withClause} });
  let total = 0;
  for (const r0 of rows) {
${readBody(steps)}
  }
  return total;
}
`);
    }
    writeFileSync(join(dir, `queries${f}.ts`), [`import type { Db } from "./db.ts";\n`, ...fns].join("\n"));
  }
  writeFileSync(join(dir, "tsconfig.json"), tsconfig({ typeRoots: [relative(dir, join(here, "..", "node_modules", "@types"))] }));
}

const dtsDir = join(generatedDir, "tsalchemy-dts");

/**
 * src/'s declarations, as the published package has them (scripts/build.mjs: tsconfig.build.json,
 * `./x.ts` specifiers rewritten to `./x.js`), into .generated/tsalchemy-dts/: what an application
 * that installed tsalchemy type-checks against (skipLibCheck skips them, as it does Drizzle's).
 */
function buildDeclarations() {
  rmSync(dtsDir, { recursive: true, force: true });
  const tsc = join(dirname(createRequire(join(root, "package.json")).resolve("typescript/package.json")), "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--emitDeclarationOnly", "--outDir", dtsDir], { stdio: "inherit" });
  const relativeTsSpecifier = /((?:from|import)\s*\(?\s*")(\.{1,2}\/[^"]*)\.ts(")/g;
  for (const e of readdirSync(dtsDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith(".d.ts")) continue;
    const file = join(e.parentPath, e.name);
    writeFileSync(file, readFileSync(file, "utf8").replace(relativeTsSpecifier, "$1$2.js$3"));
  }
}

const VARIANTS = [
  ["tsalchemy", (dir, n, q) => tsalchemyProject(dir, n, q, "typed")],
  ["tsalchemy-asserted", (dir, n, q) => tsalchemyProject(dir, n, q, "asserted")],
  ["tsalchemy-dts", (dir, n, q) => tsalchemyProject(dir, n, q, "asserted", join(dtsDir, "index.js"))],
  ["drizzle", drizzleProject],
];

/**
 * Writes .generated/<variant>-<n>/ for each model count (0: a baseline, the ORM imported and no
 * model or query: what checking the library itself costs); returns the projects.
 */
export function generate({ models = [0, 50, 200], queries = 200 } = {}) {
  const projects = [];
  buildDeclarations();
  for (const n of models) {
    for (const [orm, write] of VARIANTS) {
      if (n === 0 && orm === "tsalchemy-asserted") continue;
      const dir = join(generatedDir, `${orm}-${n}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      write(dir, n, n === 0 ? 0 : queries);
      projects.push({ orm, models: n, queries: n === 0 ? 0 : queries, dir });
    }
  }
  return projects;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at === -1 ? fallback : process.argv[at + 1];
  };
  const models = arg("models", "0,50,200").split(",").map(Number);
  const queries = Number(arg("queries", "200"));
  for (const p of generate({ models, queries })) console.log(`${p.orm}: ${p.models} models, ${p.queries} queries → ${relative(root, p.dir)}`);
}
