/**
 * Architecture lint: the layering of DESIGN.md §2 (and reference/aesthetics-anchors.md §2.3) as
 * code, so that it lives in CI rather than in memory.
 *
 *   npx tsx scripts/lint-architecture.ts        exits 1 and lists every violation
 *
 * It reads every `.ts` file under `src/`, extracts the specifiers of `import … from`,
 * `export … from`, side-effect `import "…"` and `import("…")`, and checks:
 *
 * - layering: each file belongs to one layer, and a layer imports only the layers it is allowed
 *   (LAYER_IMPORTS below); only the composition roots meet concrete dialects and drivers;
 * - ORM sub-layers: inside src/orm, a file imports only its own sub-layer and those below it
 *   (ORM_SUBLAYERS), type-only imports included, so no cycle between sub-layers exists even at
 *   the type level;
 * - strategy branching: outside src/orm/strategies/, no src/orm file compares a strategy-like
 *   value with a loader strategy's name or switches over one (STRATEGY_NAMES); it asks the
 *   strategy (docs/adr/0009-loader-strategy-per-file.md);
 * - no import cycles among src files (over the imports that exist at run time);
 * - no static run-time import of a client library or any other package (drivers load theirs
 *   with `import()` and type them with `import type`);
 * - no `export *` (entry points list their exports by name);
 * - files over 600 lines are reported as warnings.
 *
 * Parsing is lexical (comments, strings and template literals are told apart from code, then
 * regular expressions find the import forms); the TypeScript 7 package has no JS API to parse
 * with (docs/adr/0001-test-runner-and-toolchain.md).
 */
import { readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { posix } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type RuleName =
  | "layering"
  | "orm-sublayer"
  | "strategy-branch"
  | "cycle"
  | "client-library"
  | "runtime-dependency"
  | "export-star"
  | "unresolved-import"
  | "unplaced-file"
  | "file-size";

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: RuleName;
  readonly message: string;
}

export interface ArchitectureReport {
  readonly files: number;
  readonly violations: readonly Finding[];
  readonly warnings: readonly Finding[];
}

export const MAX_FILE_LINES = 600;

/** Client libraries the drivers adapt: optional peer dependencies, never loaded statically. */
export const CLIENT_LIBRARIES = ["better-sqlite3", "pg", "mysql2", "@electric-sql/pglite"] as const;

/**
 * The layers of src/. `dialect:<d>` and `driver:<d>` stand for every concrete dialect or driver
 * folder; a concrete folder may always import itself, never a sibling.
 */
type Layer =
  | "shared"
  | "types"
  | "sql"
  | "schema"
  | "compiler"
  | "dialect-contract"
  | "dialect:*"
  | "driver-contract"
  | "driver:*"
  | "pool"
  | "engine"
  | "reflection"
  | "migrations"
  | "orm"
  | "root";

const CORE_BELOW_ORM: readonly Layer[] = [
  "shared", "types", "sql", "schema", "compiler", "dialect-contract", "driver-contract", "pool", "engine", "reflection",
];

/** Which layers each layer may import, besides itself. */
const LAYER_IMPORTS: Readonly<Record<Layer, readonly Layer[]>> = {
  shared: [],
  types: ["shared"],
  sql: ["types", "shared"],
  schema: ["sql", "types", "shared"],
  compiler: ["dialect-contract", "schema", "sql", "types", "shared"],
  "dialect-contract": ["compiler", "schema", "sql", "types", "shared"],
  "dialect:*": ["dialect-contract", "compiler", "schema", "sql", "types", "shared"],
  "driver-contract": ["shared"],
  "driver:*": ["driver-contract", "shared"],
  pool: ["dialect-contract", "driver-contract", "compiler", "schema", "sql", "types", "shared"],
  engine: ["pool", "dialect-contract", "driver-contract", "compiler", "schema", "sql", "types", "shared"],
  reflection: ["engine", "pool", "dialect-contract", "driver-contract", "compiler", "schema", "sql", "types", "shared"],
  orm: CORE_BELOW_ORM,
  // Schema migrations: above the engine and reflection, beside (never importing) the ORM.
  migrations: CORE_BELOW_ORM,
  root: [],
};

const LAYER_LABEL: Readonly<Record<Layer, string>> = {
  shared: "src/shared",
  types: "core/types",
  sql: "core/sql",
  schema: "core/schema",
  compiler: "core/compiler",
  "dialect-contract": "the dialect contract (core/dialects/*.ts)",
  "dialect:*": "a concrete dialect (core/dialects/<d>/)",
  "driver-contract": "the driver contract (core/drivers/*.ts)",
  "driver:*": "a concrete driver (core/drivers/<d>/)",
  pool: "core/pool",
  engine: "core/engine",
  reflection: "core/reflection",
  orm: "src/orm",
  migrations: "src/migrations",
  root: "a composition root",
};

/**
 * The composition roots: the only files where a concrete dialect meets a concrete driver. The
 * package's subpath entries (`core/dialects/<d>/index.ts`, `core/drivers/<d>/index.ts`) live in
 * their own concrete folder and follow its rules.
 */
export const COMPOSITION_ROOTS: readonly string[] = [
  "src/index.ts",
  "src/core/index.ts",
  "src/core/engine/create-async-engine.ts",
  "src/core/engine/create-engine.ts",
  "src/migrations/cli/tsalchemy.ts",
];

interface Placement {
  readonly layer: Layer;
  /** The concrete folder (`src/core/dialects/sqlite`) for `dialect:*` and `driver:*`. */
  readonly folder?: string;
}

function placementOf(file: string): Placement | undefined {
  const parts = file.split("/");
  if (parts[0] !== "src") return undefined;
  if (parts[1] === "shared") return { layer: "shared" };
  if (parts[1] === "orm") return { layer: "orm" };
  if (parts[1] === "migrations") return { layer: "migrations" };
  if (parts[1] !== "core") return file === "src/index.ts" ? { layer: "root" } : undefined;
  const area = parts[2];
  const nested = parts.length > 4;
  switch (area) {
    case "types":
    case "sql":
    case "schema":
    case "compiler":
    case "pool":
    case "engine":
    case "reflection":
      return { layer: area };
    case "dialects":
      return nested ? { layer: "dialect:*", folder: parts.slice(0, 4).join("/") } : { layer: "dialect-contract" };
    case "drivers":
      return nested ? { layer: "driver:*", folder: parts.slice(0, 4).join("/") } : { layer: "driver-contract" };
    default:
      return file === "src/core/index.ts" ? { layer: "root" } : undefined;
  }
}

/** Why `from` may not import `to`, or undefined when it may. Both files are placed. */
function layeringError(from: string, to: string): string | undefined {
  const source = placementOf(from);
  const target = placementOf(to);
  if (!source || !target) return undefined;
  const fromRoot = COMPOSITION_ROOTS.includes(from);
  if (COMPOSITION_ROOTS.includes(to) && !fromRoot) {
    return `${to} is a composition root; only ${COMPOSITION_ROOTS.join(", ")} may import it`;
  }
  if (fromRoot) {
    if (from === "src/index.ts") return undefined;
    if (target.layer === "orm") return "core never imports src/orm";
    if (from === "src/core/index.ts") return to === "src/index.ts" ? "core never imports src/index.ts (it exports src/orm)" : undefined;
    if (target.layer === "dialect:*" || target.layer === "driver:*") return undefined;
  }
  if (source.folder !== undefined && source.folder === target.folder) return undefined;
  if (source.layer === target.layer && source.folder === undefined) return undefined;
  if (LAYER_IMPORTS[source.layer].includes(target.layer)) return undefined;
  const allowed = [source.folder ? "its own folder" : LAYER_LABEL[source.layer], ...LAYER_IMPORTS[source.layer].map((l) => LAYER_LABEL[l])];
  const reason =
    target.layer === "orm" && source.layer === "migrations"
      ? "src/migrations never imports src/orm (models reach it as a MetaData)"
      : target.layer === "orm" && source.layer !== "shared"
      ? "core never imports src/orm"
      : target.layer === "dialect:*" || target.layer === "driver:*"
        ? `only ${COMPOSITION_ROOTS.join(", ")} may import a concrete dialect or driver`
        : `${LAYER_LABEL[source.layer]} may import only ${allowed.join(", ")}`;
  return `${LAYER_LABEL[target.layer]} is not allowed here: ${reason}`;
}

// ---------------------------------------------------------------------------------------------
// ORM sub-layers.

/**
 * The sub-layers of src/orm, lowest first (docs/adr/0009-loader-strategy-per-file.md). A file
 * imports its own sub-layer and those before it, with `import type` too: the lower layers reach
 * the strategies through the table `declarativeBase()` installs (loading/loader-strategy-table.ts),
 * never by importing them. `inspection` is the file src/orm/inspection.ts.
 */
export const ORM_SUBLAYERS = [
  "state",
  "mapping",
  "mapper",
  "loading",
  "query",
  "strategies",
  "declarative",
  "unit-of-work",
  "session",
  "inspection",
  // The public event API (listen/remove/listensFor): it names every target kind, the session among them.
  "events",
] as const;

/** The ORM sub-layer of a src/orm file, or undefined when it is in none. */
function ormSublayerOf(file: string): (typeof ORM_SUBLAYERS)[number] | undefined {
  const parts = file.split("/");
  if (parts[0] !== "src" || parts[1] !== "orm") return undefined;
  const name = parts.length === 3 ? parts[2]!.replace(/\.ts$/, "") : parts[2]!;
  return (ORM_SUBLAYERS as readonly string[]).includes(name) ? (name as (typeof ORM_SUBLAYERS)[number]) : undefined;
}

/** Why src/orm file `from` may not import src/orm file `to`, or undefined when it may. */
function ormSublayerError(from: string, to: string, typeOnly: boolean): string | undefined {
  const source = ormSublayerOf(from);
  const target = ormSublayerOf(to);
  if (source === undefined || target === undefined) return undefined;
  if (ORM_SUBLAYERS.indexOf(target) <= ORM_SUBLAYERS.indexOf(source)) return undefined;
  const kind = typeOnly ? "a type-only import" : "an import";
  return (
    `${kind} of orm/${target} from orm/${source}, which is below it (${ORM_SUBLAYERS.join(" < ")}); ` +
    `type-only imports count, so sub-layers form no cycle even in types: move the code, or pass it down`
  );
}

// ---------------------------------------------------------------------------------------------
// Strategy branching.

/** The loader strategies' names (SQLAlchemy's `lazy=` values and `contains_eager`). */
export const STRATEGY_NAMES = [
  "select",
  "joined",
  "selectin",
  "subquery",
  "immediate",
  "raise",
  "raise_on_sql",
  "noload",
  "write_only",
  "contains_eager",
] as const;

/**
 * A strategy-like operand: an identifier or property path whose last name ends in "strategy" or
 * is "lazy" (`strategy`, `property.strategy`, `post?.strategy`, `spec.options.lazy`). Node kinds
 * (`node.kind === "select"`) and other words (`mode === "raise"`) are not strategy-like.
 */
const STRATEGY_OPERAND = /^(?:[\w$]+(?:\??\.))*(?:[\w$]*strategy|lazy)$/i;
const OPERAND = "(?<operand>[\\w$]+(?:\\??\\.[\\w$]+)*)";
const NAME = `(?<quote>["'])(?:${STRATEGY_NAMES.join("|")})\\k<quote>`;
const COMPARISON_AFTER = new RegExp(`(?<![\\w$.])${OPERAND}\\s*[!=]==?\\s*${NAME}`, "g");
const COMPARISON_BEFORE = new RegExp(`${NAME}\\s*[!=]==?\\s*${OPERAND}`, "g");
const SWITCH = new RegExp(`(?<![\\w$.])switch\\s*\\(\\s*${OPERAND}\\s*\\)\\s*\\{`, "g");
const CASE_NAME = new RegExp(`(?<![\\w$.])case\\s+${NAME}\\s*:`, "g");

/** Comparisons of a strategy-like operand with a strategy's name, and switches over one with such a case, as `[line, text]`. */
export function findStrategyBranches(source: string): [line: number, text: string][] {
  const mask = codeMask(source);
  const lineOf = (index: number): number => source.slice(0, index).split("\n").length;
  const found: [number, string][] = [];
  const report = (index: number, text: string): void => {
    if (mask[index] === 1) found.push([lineOf(index), text]);
  };
  for (const m of source.matchAll(COMPARISON_AFTER)) if (STRATEGY_OPERAND.test(m.groups!.operand!)) report(m.index, m[0]);
  for (const m of source.matchAll(COMPARISON_BEFORE)) {
    const operand = m.groups!.operand!;
    if (STRATEGY_OPERAND.test(operand)) report(m.index + m[0].length - operand.length, m[0]);
  }
  for (const m of source.matchAll(SWITCH)) {
    const operand = m.groups!.operand!;
    if (mask[m.index] !== 1 || !STRATEGY_OPERAND.test(operand)) continue;
    const open = m.index + m[0].length - 1;
    let depth = 0;
    let close = source.length;
    for (let i = open; i < source.length; i++) {
      if (mask[i] !== 1) continue;
      if (source[i] === "{") depth++;
      else if (source[i] === "}" && --depth === 0) {
        close = i;
        break;
      }
    }
    const body = source.slice(open, close);
    const cases = [...body.matchAll(CASE_NAME)].filter((c) => mask[open + c.index] === 1);
    if (cases.length > 0) report(m.index, `switch (${operand}) { ${cases.map((c) => c[0]).join(" ")} … }`);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/** Whether `file` may branch on strategy names: outside src/orm, and inside src/orm/strategies/. */
function mayBranchOnStrategies(file: string): boolean {
  return !file.startsWith("src/orm/") || file.startsWith("src/orm/strategies/");
}

// ---------------------------------------------------------------------------------------------
// Lexing: which characters are code (not comment, string or template text).

/** Marks each character of `source` as code (1) or not (0: comment, string, template text). */
export function codeMask(source: string): Uint8Array {
  const mask = new Uint8Array(source.length).fill(1);
  const n = source.length;
  const templateDepths: number[] = [];
  let depth = 0;
  let last = "";
  let lastWord = "";
  let i = 0;

  const skip = (from: number, to: number): void => {
    mask.fill(0, from, Math.min(to, n));
  };
  const scanTemplate = (start: number): number => {
    let j = start;
    while (j < n) {
      const c = source[j];
      if (c === "\\") j += 2;
      else if (c === "`") return j + 1;
      else if (c === "$" && source[j + 1] === "{") {
        templateDepths.push(depth);
        skip(start, j);
        return -(j + 2);
      } else j++;
    }
    return n;
  };
  const enterTemplate = (start: number): void => {
    const end = scanTemplate(start);
    if (end >= 0) {
      skip(start - 1, end);
      i = end;
      last = "`";
    } else {
      i = -end;
      last = "{";
    }
  };

  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      skip(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      skip(i, end < 0 ? n : end + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
      skip(i, j + 1);
      i = j + 1;
      last = c;
    } else if (c === "`") {
      enterTemplate(i + 1);
    } else if (c === "/" && regexMayStart(last, lastWord)) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== "\n") {
        const r = source[j];
        if (r === "\\") j++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < n && /[a-z]/i.test(source[j]!)) j++;
      skip(i, j);
      i = j;
      last = "/";
    } else if (c === "}" && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
      templateDepths.pop();
      enterTemplate(i + 1);
    } else {
      if (c === "{") depth++;
      else if (c === "}") depth--;
      if (!/\s/.test(c)) {
        if (/[\w$]/.test(c)) lastWord = /[\w$]/.test(last) ? lastWord + c : c;
        last = c;
      }
      i++;
    }
  }
  return mask;
}

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return", "typeof", "case", "do", "else", "in", "instanceof", "new", "delete", "void", "throw", "yield", "await", "of",
]);

function regexMayStart(last: string, lastWord: string): boolean {
  if (last === "") return true;
  if (/[\w$]/.test(last)) return KEYWORDS_BEFORE_EXPRESSION.has(lastWord);
  return !/[)\]"'`]/.test(last);
}

// ---------------------------------------------------------------------------------------------
// Import extraction.

export interface ImportRecord {
  readonly specifier: string;
  readonly line: number;
  /** `import type` / `export type`: erased at run time. */
  readonly typeOnly: boolean;
  readonly dynamic: boolean;
  /** `export * from` or `export * as ns from`. */
  readonly exportStar: boolean;
}

const STATIC_IMPORT =
  /(?<![\w$.])import\s+(type\s+)?(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*\s*as\s+[\w$]+|[\w$]+)\s*from\s*(["'])([^"'\n]+)\2/g;
const STATIC_EXPORT = /(?<![\w$.])export\s+(type\s+)?(\{[^}]*\}|\*(?:\s*as\s+[\w$]+)?)\s*from\s*(["'])([^"'\n]+)\3/g;
const SIDE_EFFECT_IMPORT = /(?<![\w$.])import\s*(["'])([^"'\n]+)\1/g;
const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(\s*(["'])([^"'\n]+)\1\s*\)/g;

/** Every import and re-export in `source`, ignoring comments and strings that merely look like one. */
export function extractImports(source: string): ImportRecord[] {
  const mask = codeMask(source);
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const records: ImportRecord[] = [];
  const add = (match: RegExpExecArray, specifier: string, flags: Omit<ImportRecord, "specifier" | "line">): void => {
    if (mask[match.index] !== 1) return;
    records.push({ specifier, line: lineOf(match.index), ...flags });
  };
  for (const m of source.matchAll(STATIC_IMPORT)) {
    add(m, m[3]!, { typeOnly: m[1] !== undefined, dynamic: false, exportStar: false });
  }
  for (const m of source.matchAll(STATIC_EXPORT)) {
    add(m, m[4]!, { typeOnly: m[1] !== undefined, dynamic: false, exportStar: m[2]!.startsWith("*") });
  }
  for (const m of source.matchAll(SIDE_EFFECT_IMPORT)) {
    add(m, m[2]!, { typeOnly: false, dynamic: false, exportStar: false });
  }
  for (const m of source.matchAll(DYNAMIC_IMPORT)) {
    add(m, m[2]!, { typeOnly: false, dynamic: true, exportStar: false });
  }
  return records.sort((a, b) => a.line - b.line);
}

function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base, base.replace(/\.(m?js)$/, (_, ext: string) => (ext === "mjs" ? ".mts" : ".ts")), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => files.has(c)) ?? base;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

// ---------------------------------------------------------------------------------------------
// The check.

/** Checks a tree of sources keyed by repo-relative POSIX path (`src/core/sql/select.ts`). */
export function checkArchitecture(sources: ReadonlyMap<string, string> | Readonly<Record<string, string>>): ArchitectureReport {
  const entries = sources instanceof Map ? [...sources.entries()] : Object.entries(sources);
  const srcFiles = entries.filter(([path]) => path.startsWith("src/") && path.endsWith(".ts")).sort(([a], [b]) => (a < b ? -1 : 1));
  const fileSet = new Set(srcFiles.map(([path]) => path));
  const violations: Finding[] = [];
  const warnings: Finding[] = [];
  const runtimeEdges = new Map<string, Map<string, number>>();

  for (const [file, source] of srcFiles) {
    const edges = new Map<string, number>();
    runtimeEdges.set(file, edges);
    const lines = source.split("\n").length - (source.endsWith("\n") ? 1 : 0);
    if (lines > MAX_FILE_LINES) {
      warnings.push({ file, line: 1, rule: "file-size", message: `${lines} lines (over ${MAX_FILE_LINES}): split it by concept` });
    }
    if (!placementOf(file)) {
      violations.push({
        file,
        line: 1,
        rule: "unplaced-file",
        message: "not in any layer of DESIGN.md §2; move it into one, or add its folder to scripts/lint-architecture.ts",
      });
    }
    if (file.startsWith("src/orm/") && ormSublayerOf(file) === undefined) {
      violations.push({ file, line: 1, rule: "orm-sublayer", message: `not in any ORM sub-layer (${ORM_SUBLAYERS.join(", ")}): move it into one` });
    }
    if (!mayBranchOnStrategies(file)) {
      for (const [line, text] of findStrategyBranches(source)) {
        violations.push({
          file,
          line,
          rule: "strategy-branch",
          message: `\`${text}\` branches on a loader strategy's name outside src/orm/strategies/: ask the strategy (loaderStrategy(name).…) instead`,
        });
      }
    }
    for (const record of extractImports(source)) {
      const { specifier, line } = record;
      const runtimeStatic = !record.typeOnly && !record.dynamic;
      if (record.exportStar) {
        violations.push({ file, line, rule: "export-star", message: `\`export *\` from "${specifier}": export each name explicitly` });
      }
      if (!specifier.startsWith(".")) {
        if (isBuiltin(specifier) || !runtimeStatic) continue;
        const name = packageName(specifier);
        if ((CLIENT_LIBRARIES as readonly string[]).includes(name)) {
          violations.push({
            file,
            line,
            rule: "client-library",
            message: `static import of client library "${specifier}": use \`import type\` for its types and \`await import("${name}")\` to load it`,
          });
        } else {
          violations.push({
            file,
            line,
            rule: "runtime-dependency",
            message: `static import of package "${specifier}": the package has no runtime dependencies (use a relative path for its own modules)`,
          });
        }
        continue;
      }
      const target = resolveRelative(file, specifier, fileSet);
      if (!target.startsWith("src/")) {
        violations.push({ file, line, rule: "unresolved-import", message: `"${specifier}" points outside src/` });
        continue;
      }
      if (!fileSet.has(target)) {
        violations.push({ file, line, rule: "unresolved-import", message: `"${specifier}" does not resolve to a .ts file under src/` });
        continue;
      }
      const error = layeringError(file, target);
      if (error) violations.push({ file, line, rule: "layering", message: `imports ${target}: ${error}` });
      const sublayerError = ormSublayerError(file, target, record.typeOnly);
      if (sublayerError) violations.push({ file, line, rule: "orm-sublayer", message: `imports ${target}: ${sublayerError}` });
      if (runtimeStatic && !edges.has(target)) edges.set(target, line);
    }
  }

  for (const cycle of findCycles(runtimeEdges)) {
    const first = cycle[0]!;
    violations.push({
      file: first,
      line: runtimeEdges.get(first)!.get(cycle[1]!)!,
      rule: "cycle",
      message: `import cycle: ${cycle.join(" → ")}`,
    });
  }
  return { files: srcFiles.length, violations, warnings };
}

/**
 * One cycle per strongly connected component (Tarjan), as a closed path starting and ending at
 * the component's first file in sort order; breaking it reveals any other cycle in the component.
 */
function findCycles(edges: ReadonlyMap<string, ReadonlyMap<string, number>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = edges.get(node)?.has(node) ?? false;
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);

  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const node = queue.shift()!;
      const nexts = [...(edges.get(node)?.keys() ?? [])].filter((n) => members.has(n)).sort();
      if (nexts.includes(start)) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      for (const next of nexts) {
        if (!previous.has(next) && next !== start) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    return [start, start];
  }).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Command line.

/** Reads every `.ts` file under `<root>/src`, keyed by repo-relative POSIX path. */
export function readSourceTree(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(posix.join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) sources.set(path, readFileSync(posix.join(root, path), "utf8"));
    }
  };
  walk("src");
  return sources;
}

function formatFinding(finding: Finding): string {
  return `  ${finding.file}:${finding.line}  [${finding.rule}] ${finding.message}`;
}

function main(): void {
  const root = posix.dirname(posix.dirname(fileURLToPath(import.meta.url)));
  const report = checkArchitecture(readSourceTree(root));
  if (report.violations.length > 0) {
    console.error("Architecture violations (DESIGN.md §2; rules in scripts/lint-architecture.ts):");
    for (const finding of report.violations) console.error(formatFinding(finding));
  }
  if (report.warnings.length > 0) {
    console.warn("Warnings:");
    for (const finding of report.warnings) console.warn(formatFinding(finding));
  }
  const warned = report.warnings.length > 0 ? `, ${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"}` : "";
  console.log(`lint: ${report.files} files, ${report.violations.length} violations${warned}`);
  if (report.violations.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
