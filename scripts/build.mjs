// Builds the published package: src/ → dist/ (ESM .js, .d.ts, source maps) with tsconfig.build.json.
// TypeScript rewrites `./x.ts` imports to `./x.js` in the emitted JavaScript
// (rewriteRelativeImportExtensions) but keeps them as `.ts` in declaration files, where a
// consumer's compiler reports TS5097 unless it allows importing `.ts`; so the declarations get the
// same rewrite here.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });

const relativeTsSpecifier = /((?:from|import)\s*\(?\s*")(\.{1,2}\/[^"]*)\.ts(")/g;
let rewritten = 0;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
  const file = join(entry.parentPath, entry.name);
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(relativeTsSpecifier, "$1$2.js$3");
  if (fixed !== text) {
    writeFileSync(file, fixed);
    rewritten++;
  }
}
console.log(`build: dist/ written, ${rewritten} declaration files had their .ts imports rewritten`);
