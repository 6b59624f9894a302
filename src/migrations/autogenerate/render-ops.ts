import type { Dialect } from "../../core/dialects/dialect.ts";
import type { ColumnSpec, ServerDefault } from "../../core/schema/column.ts";
import type { TableConstraint } from "../../core/schema/constraints.ts";
import type { SqlType } from "../../core/types/sql-type.ts";
import { BaseDdlCompiler } from "../../core/compiler/base-ddl-compiler.ts";
import type { AlterColumnChanges, MigrationOp, TableAlterOp } from "../operations/migration-op.ts";
import { isTableAlterOp } from "../operations/migration-op.ts";
import { typeExpression } from "./type-expression.ts";

/** Rendered code, and the names it needs imported from the package. */
export interface RenderedOps {
  readonly lines: readonly string[];
  readonly imports: ReadonlySet<string>;
}

const s = (value: string): string => JSON.stringify(value);
const list = (values: readonly string[]): string => `[${values.map(s).join(", ")}]`;

/**
 * Ops as the TypeScript of a revision's `upgrade`/`downgrade` body (Alembic's
 * `render_python_code`). With `asBatch` (the default on SQLite, Alembic's `render_as_batch`),
 * consecutive changes to one table are grouped in one `op.batchAlterTable`, so the table is
 * rebuilt once.
 *
 * ```ts
 * renderOps(dialect, [{ kind: "add-column", table: "users", column: "email", spec: Column(StringType(100)) }]);
 * // await op.addColumn("users", "email", Column(StringType(100), { nullable: true }));
 * ```
 */
export function renderOps(dialect: Dialect, ops: readonly MigrationOp[], options: { asBatch?: boolean } = {}): RenderedOps {
  const renderer = new OpRenderer(dialect);
  const lines: string[] = [];
  const asBatch = options.asBatch ?? !dialect.capabilities.alterAddForeignKey;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (asBatch && isTableAlterOp(op)) {
      const group: TableAlterOp[] = [op];
      while (i + 1 < ops.length && isTableAlterOp(ops[i + 1]!) && (ops[i + 1] as TableAlterOp).table === op.table) group.push(ops[++i] as TableAlterOp);
      const schema = op.schema === undefined ? "" : `, { schema: ${s(op.schema)} }`;
      lines.push(`await op.batchAlterTable(${s(op.table)}, (batch) => {`);
      for (const member of group) lines.push(`  ${renderer.batchOp(member)};`);
      lines.push(`}${schema});`);
    } else {
      lines.push(...`await ${renderer.op(op)};`.split("\n"));
    }
  }
  return { lines, imports: renderer.imports };
}

class OpRenderer {
  readonly imports = new Set<string>();
  readonly #dialect: Dialect;

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
  }

  op(op: MigrationOp): string {
    const schema = (ref: { schema?: string | undefined }, extra = ""): string =>
      ref.schema === undefined ? (extra ? `, { ${extra} }` : "") : `, { schema: ${s(ref.schema)}${extra ? `, ${extra}` : ""} }`;
    switch (op.kind) {
      case "create-table": {
        const columns = Object.entries(op.columns).map(([name, spec]) => `    ${s(name)}: ${this.column(spec)},`);
        const constraints = op.constraints.map((c) => `,\n  ${this.constraint(c)}`).join("");
        const tail = op.schema === undefined ? "" : `,\n  { schema: ${s(op.schema)} }`;
        return `op.createTable(\n  ${s(op.table)},\n  {\n${columns.join("\n")}\n  }${constraints}${tail},\n)`;
      }
      case "drop-table":
        return `op.dropTable(${s(op.table)}${schema(op)})`;
      case "rename-table":
        return `op.renameTable(${s(op.table)}, ${s(op.newName)}${schema(op)})`;
      case "add-column":
        return `op.addColumn(${s(op.table)}, ${s(op.column)}, ${this.column(op.spec)}${schema(op)})`;
      case "drop-column":
        return `op.dropColumn(${s(op.table)}, ${s(op.column)}${schema(op)})`;
      case "alter-column":
        return `op.alterColumn(${s(op.table)}, ${s(op.column)}, ${this.changes(op.changes, op.schema)})`;
      case "create-index":
        return `op.createIndex(${s(op.name)}, ${s(op.table)}, ${list(op.columns)}${schema(op, `unique: ${op.unique}`)})`;
      case "drop-index":
        return `op.dropIndex(${s(op.name)}, ${s(op.table)}${schema(op)})`;
      case "create-foreign-key":
        return `op.createForeignKey(${op.name === undefined ? "null" : s(op.name)}, ${s(op.table)}, ${s(op.referent)}, ${list(op.columns)}, ${list(op.referentColumns)}${this.fkOptions(op, true)})`;
      case "create-unique-constraint":
        return `op.createUniqueConstraint(${op.name === undefined ? "null" : s(op.name)}, ${s(op.table)}, ${list(op.columns)}${schema(op)})`;
      case "drop-constraint":
        return `op.dropConstraint(${s(op.name)}, ${s(op.table)}${schema(op, op.type === undefined ? "" : `type: ${s(op.type)}`)})`;
      case "execute":
        return `op.execute(${s(op.sql)})`;
      case "bulk-insert":
        return `op.bulkInsert(/* ${op.target.name} */ undefined as never, ${JSON.stringify(op.rows)})`;
    }
  }

  batchOp(op: TableAlterOp): string {
    switch (op.kind) {
      case "add-column":
        return `batch.addColumn(${s(op.column)}, ${this.column(op.spec)})`;
      case "drop-column":
        return `batch.dropColumn(${s(op.column)})`;
      case "alter-column":
        return `batch.alterColumn(${s(op.column)}, ${this.changes(op.changes, undefined)})`;
      case "create-index":
        return `batch.createIndex(${s(op.name)}, ${list(op.columns)}, { unique: ${op.unique} })`;
      case "drop-index":
        return `batch.dropIndex(${s(op.name)})`;
      case "create-foreign-key":
        return `batch.createForeignKey(${op.name === undefined ? "null" : s(op.name)}, ${s(op.referent)}, ${list(op.columns)}, ${list(op.referentColumns)}${this.fkOptions(op, false)})`;
      case "create-unique-constraint":
        return `batch.createUniqueConstraint(${op.name === undefined ? "null" : s(op.name)}, ${list(op.columns)})`;
      case "drop-constraint":
        return `batch.dropConstraint(${s(op.name)}${op.type === undefined ? "" : `, { type: ${s(op.type)} }`})`;
    }
  }

  column(spec: ColumnSpec<unknown>): string {
    this.imports.add("Column");
    const o = spec.options;
    const parts = [
      ...(o.primaryKey ? ["primaryKey: true"] : []),
      `nullable: ${o.nullable ?? !(o.primaryKey ?? false)}`,
      ...(o.serverDefault === undefined ? [] : [`serverDefault: ${this.serverDefault(o.serverDefault)}`]),
      ...(o.autoincrement === undefined ? [] : [`autoincrement: ${JSON.stringify(o.autoincrement)}`]),
    ];
    const fks = spec.foreignKeys.map((fk) => {
      this.imports.add("ForeignKey");
      const options = Object.keys(fk.options).length === 0 ? "" : `, ${JSON.stringify(fk.options)}`;
      return `ForeignKey(${s(fk.target)}${options}), `;
    });
    return `Column(${this.type(spec.type)}, ${fks.join("")}{ ${parts.join(", ")} })`;
  }

  constraint(c: TableConstraint): string {
    const name = c.name === undefined ? "" : `, { name: ${s(c.name)} }`;
    switch (c.kind) {
      case "unique":
        this.imports.add("UniqueConstraint");
        return `new UniqueConstraint(${list(c.columns)}${name})`;
      case "primary-key":
        this.imports.add("PrimaryKeyConstraint");
        return `new PrimaryKeyConstraint(${list(c.columns)}${name})`;
      case "index":
        this.imports.add("Index");
        return `new Index(${c.name === undefined ? "null" : s(c.name)}, ${list(c.columns)}, { unique: ${c.unique} })`;
      case "check":
        this.imports.add("CheckConstraint");
        this.imports.add("literalColumn");
        return `new CheckConstraint(literalColumn(${s(this.#ddl().expression(c.condition))})${name})`;
      case "foreign-key": {
        this.imports.add("ForeignKeyConstraint");
        const options = [
          ...(c.name === undefined ? [] : [`name: ${s(c.name)}`]),
          ...(c.ondelete === undefined ? [] : [`ondelete: ${s(c.ondelete)}`]),
          ...(c.onupdate === undefined ? [] : [`onupdate: ${s(c.onupdate)}`]),
        ];
        return `new ForeignKeyConstraint(${list(c.columns)}, ${list(c.targets)}${options.length ? `, { ${options.join(", ")} }` : ""})`;
      }
    }
  }

  type(type: SqlType<unknown>): string {
    return typeExpression(type, this.imports);
  }

  serverDefault(value: ServerDefault | null): string {
    if (value === null) return "null";
    if (typeof value !== "object") return JSON.stringify(value);
    this.imports.add("literalColumn");
    return `literalColumn(${s(this.#ddl().expression(value))})`;
  }

  changes(changes: AlterColumnChanges, schema: string | undefined): string {
    const parts = [
      ...(schema === undefined ? [] : [`schema: ${s(schema)}`]),
      ...(changes.type === undefined ? [] : [`type: ${this.type(changes.type)}`]),
      ...(changes.nullable === undefined ? [] : [`nullable: ${changes.nullable}`]),
      ...(changes.serverDefault === undefined ? [] : [`serverDefault: ${this.serverDefault(changes.serverDefault)}`]),
      ...(changes.newColumnName === undefined ? [] : [`newColumnName: ${s(changes.newColumnName)}`]),
      ...(changes.existingType === undefined ? [] : [`existingType: ${this.type(changes.existingType)}`]),
      ...(changes.existingNullable === undefined ? [] : [`existingNullable: ${changes.existingNullable}`]),
      ...(changes.existingServerDefault === undefined ? [] : [`existingServerDefault: ${this.serverDefault(changes.existingServerDefault)}`]),
    ];
    return `{ ${parts.join(", ")} }`;
  }

  fkOptions(op: Extract<MigrationOp, { kind: "create-foreign-key" }>, withSource: boolean): string {
    const parts = [
      ...(withSource && op.schema !== undefined ? [`sourceSchema: ${s(op.schema)}`] : []),
      ...(op.referentSchema === undefined ? [] : [`referentSchema: ${s(op.referentSchema)}`]),
      ...(op.ondelete === undefined ? [] : [`ondelete: ${s(op.ondelete)}`]),
      ...(op.onupdate === undefined ? [] : [`onupdate: ${s(op.onupdate)}`]),
    ];
    return parts.length === 0 ? "" : `, { ${parts.join(", ")} }`;
  }

  #ddl(): BaseDdlCompiler {
    const ddl = this.#dialect.ddlCompiler;
    if (!(ddl instanceof BaseDdlCompiler)) throw new Error(`internal: the ${this.#dialect.name} DDL compiler cannot render expressions`);
    return ddl;
  }
}
