import type { DownRevision } from "../graph/revision-script.ts";

/** What a new revision file says. */
export interface RevisionFile {
  readonly revision: string;
  readonly downRevision: DownRevision;
  readonly message: string;
  readonly createDate: Date;
  readonly upgrade: readonly string[];
  readonly downgrade: readonly string[];
  /** Names imported from the package (`Column`, `Integer` …). */
  readonly imports: ReadonlySet<string>;
  /** Where they come from: `{ core: "tsalchemy", migrations: "tsalchemy/migrations" }` in an application. */
  readonly modules: { readonly core: string; readonly migrations: string };
}

/**
 * The text of a revision file (Alembic's `script.py.mako`): a header, `revision`,
 * `downRevision`, `message`, and `upgrade(op)` / `downgrade(op)`. It uses only TypeScript that
 * type stripping erases (no enums, no parameter properties), so Node's own `.ts` loading runs it.
 */
export function renderRevisionFile(file: RevisionFile): string {
  const down = file.downRevision;
  const downText = down === null ? "null" : typeof down === "string" ? JSON.stringify(down) : `[${down.map((d) => JSON.stringify(d)).join(", ")}]`;
  const body = (lines: readonly string[]): string => (lines.length === 0 ? "  // nothing to do\n" : lines.map((l) => `  ${l}\n`).join(""));
  const imports = [...file.imports].sort();
  return [
    "/**",
    ` * ${file.message.replace(/\*\//g, "* /")}`,
    " *",
    ` * Revision ID: ${file.revision}`,
    ` * Revises: ${down === null ? "" : typeof down === "string" ? down : down.join(", ")}`,
    ` * Create Date: ${file.createDate.toISOString()}`,
    " */",
    ...(imports.length === 0 ? [] : [`import { ${imports.join(", ")} } from ${JSON.stringify(file.modules.core)};`]),
    `import type { Operations } from ${JSON.stringify(file.modules.migrations)};`,
    "",
    `export const revision = ${JSON.stringify(file.revision)};`,
    `export const downRevision: string | string[] | null = ${downText};`,
    `export const message = ${JSON.stringify(file.message)};`,
    "",
    "export async function upgrade(op: Operations): Promise<void> {",
    body(file.upgrade) + "}",
    "",
    "export async function downgrade(op: Operations): Promise<void> {",
    body(file.downgrade) + "}",
    "",
  ].join("\n");
}

/** A new revision id: 12 hex digits, as Alembic's. */
export function newRevisionId(): string {
  return crypto.randomUUID().replace(/-/g, "").slice(-12);
}

/** `Add email to users!` → `add_email_to_users`, for `<id>_<slug>.ts`. */
export function slugOf(message: string): string {
  return message.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40).replace(/_+$/, "") || "revision";
}
