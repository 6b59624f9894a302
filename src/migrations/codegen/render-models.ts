import type {
  ReflectedColumn,
  ReflectedComputed,
  ReflectedForeignKeyConstraint,
  ReflectedIdentity,
  ReflectedIndex,
} from "../../core/reflection/reflected.ts";
import type { CodegenTable } from "./codegen-schema.ts";
import { propertyKey } from "./codegen-names.ts";
import { type PlannedRelationship, type PlannedTable, planModels } from "./model-plan.ts";
import { typeExpression } from "../autogenerate/type-expression.ts";

const s = (value: string): string => JSON.stringify(value);
const INTEGER_KINDS: ReadonlySet<string> = new Set(["integer", "bigint", "smallint"]);
const list = (values: readonly string[]): string => `[${values.map(s).join(", ")}]`;

/**
 * The TypeScript model module for reflected tables (sqlacodegen's declarative generator): imports
 * from `"tsalchemy"`, `export const Base = declarativeBase();`, a Core `Table` per table without
 * a primary key or association table, a class per other table, and `Base.register(…)`.
 *
 * ```ts
 * renderModels(await readCodegenSchema(inspect(engine)), { schema: undefined });
 * // export class User extends Base.model("users", {
 * //   id: mappedColumn(Integer, { primaryKey: true }),
 * //   orgId: mappedColumn(Integer, ForeignKey("orgs.id"), { name: "org_id" }),
 * //   org: relationship<Org | null>("Org", { backPopulates: "users" }),
 * // }) {}
 * ```
 */
export function renderModels(tables: readonly CodegenTable[], options: { schema?: string; module?: string } = {}): string {
  const imports = new Set(["declarativeBase"]);
  const plans = planModels(tables);
  const body: string[] = [];
  for (const plan of plans.filter((p) => p.kind === "table")) body.push(renderTable(plan, options.schema, imports), "");
  for (const plan of plans.filter((p) => p.kind === "class")) body.push(renderClass(plan, options.schema, imports), "");
  const classes = plans.filter((p) => p.kind === "class").map((p) => p.name);
  if (classes.length > 0) body.push(`Base.register(${classes.join(", ")});`);
  const header = [
    `import { ${[...imports].sort().join(", ")} } from ${s(options.module ?? "tsalchemy")};`,
    "",
    "export const Base = declarativeBase();",
    "",
  ];
  return `${[...header, ...body].join("\n").trimEnd()}\n`;
}

function renderClass(plan: PlannedTable, schema: string | undefined, imports: Set<string>): string {
  const lines = [`export class ${plan.name} extends Base.model(${s(plan.table.name)}, {`];
  imports.add("mappedColumn");
  for (const column of plan.table.columns) {
    lines.push(`  ${propertyKey(plan.keys.get(column.name)!)}: ${columnExpression("mappedColumn", plan, column, schema, imports)},`);
  }
  for (const rel of plan.relationships) {
    imports.add("relationship");
    lines.push(`  ${propertyKey(rel.key)}: ${relationshipExpression(rel, schema)},`);
  }
  const args = tableArgs(plan, schema, imports);
  lines.push(args.length === 0 ? "}) {}" : `}, {\n  tableArgs: [\n${args.map((a) => `    ${a},`).join("\n")}\n  ],\n}) {}`);
  return lines.join("\n");
}

function renderTable(plan: PlannedTable, schema: string | undefined, imports: Set<string>): string {
  imports.add("Table");
  imports.add("Column");
  const lines = [`export const ${plan.name} = new Table(${s(plan.table.name)}, Base.metadata, {`];
  for (const column of plan.table.columns) {
    lines.push(`  ${propertyKey(plan.keys.get(column.name)!)}: ${columnExpression("Column", plan, column, schema, imports)},`);
  }
  const args = tableArgs(plan, schema, imports);
  lines.push(args.length === 0 ? "});" : `}, ${args.join(", ")});`);
  return lines.join("\n");
}

function columnExpression(call: string, plan: PlannedTable, column: ReflectedColumn, schema: string | undefined, imports: Set<string>): string {
  const table = plan.table;
  const key = plan.keys.get(column.name)!;
  const primaryKey = table.primaryKey.includes(column.name);
  const fk = table.foreignKeys.find((f) => f.constrainedColumns.length === 1 && f.constrainedColumns[0] === column.name);
  const alone = (names: readonly (string | null)[]): boolean => names.length === 1 && names[0] === column.name;
  const unique = table.uniqueConstraints.some((u) => alone(u.columnNames)) ||
    table.indexes.some((i) => i.unique && i.duplicatesConstraint === undefined && alone(i.columnNames) && i.expressions === undefined);
  const index = table.indexes.some((i) => !i.unique && alone(i.columnNames) && i.expressions === undefined && isConventionalIndex(table.name, i.name, column.name));
  const serverDefault = column.default !== null && !column.autoincrement && column.identity === undefined && column.computed === undefined;
  // A single integer key the database does not generate: the flush must not expect one back.
  const manual = primaryKey && table.primaryKey.length === 1 && !column.autoincrement && INTEGER_KINDS.has(column.type.kind);
  const parts = [
    ...(primaryKey ? ["primaryKey: true"] : []),
    ...(manual ? ["autoincrement: false"] : []),
    ...(!primaryKey && !column.nullable ? ["nullable: false"] : []),
    ...(key !== column.name ? [`name: ${s(column.name)}`] : []),
    ...(unique ? ["unique: true"] : []),
    ...(index ? ["index: true"] : []),
    ...(serverDefault ? [`serverDefault: ${literal(column.default!, imports)}`] : []),
    ...(column.computed === undefined ? [] : [computed(column.computed, imports)]),
    ...(column.identity === undefined ? [] : [identity(column.identity, imports)]),
    ...(column.comment === null ? [] : [`comment: ${s(column.comment)}`]),
  ];
  const args = [
    typeExpression(column.type, imports),
    ...(fk === undefined ? [] : [foreignKey(fk, schema, imports)]),
    ...(parts.length === 0 ? [] : [`{ ${parts.join(", ")} }`]),
  ];
  imports.add(call);
  return `${call}(${args.join(", ")})`;
}

function computed(value: ReflectedComputed, imports: Set<string>): string {
  imports.add("Computed");
  return `computed: new Computed(${s(value.sqltext)}, { persisted: ${value.persisted} })`;
}

/** Start, increment and cycle, as `metadata.reflect()` keeps them; the bounds and cache are the database's defaults. */
function identity(value: ReflectedIdentity, imports: Set<string>): string {
  imports.add("Identity");
  const options = [`always: ${value.always}`, `start: ${value.start}`, `increment: ${value.increment}`, ...(value.cycle ? ["cycle: true"] : [])];
  return `identity: new Identity({ ${options.join(", ")} })`;
}

function literal(sql: string, imports: Set<string>): string {
  imports.add("literalColumn");
  return `literalColumn(${s(sql)})`;
}

/** The referred table as `ForeignKey` and `secondary` name it: schema-qualified outside the default schema. */
function qualified(table: string, schema: string | null | undefined): string {
  return schema === null || schema === undefined ? table : `${schema}.${table}`;
}

function foreignKey(fk: ReflectedForeignKeyConstraint, schema: string | undefined, imports: Set<string>): string {
  imports.add("ForeignKey");
  const target = `${qualified(fk.referredTable, fk.referredSchema ?? schema)}.${fk.referredColumns[0]}`;
  const options = [
    ...(fk.options.ondelete === undefined ? [] : [`ondelete: ${s(fk.options.ondelete)}`]),
    ...(fk.options.onupdate === undefined ? [] : [`onupdate: ${s(fk.options.onupdate)}`]),
  ];
  return `ForeignKey(${s(target)}${options.length === 0 ? "" : `, { ${options.join(", ")} }`})`;
}

/** Multi-column unique constraints, indexes and foreign keys, CHECK constraints, and the schema: what a column's options cannot say. */
function tableArgs(plan: PlannedTable, schema: string | undefined, imports: Set<string>): string[] {
  const table = plan.table;
  const keys = (names: readonly (string | null)[]): string => list(names.map((n) => plan.keys.get(n!)!));
  const args: string[] = [];
  for (const u of table.uniqueConstraints) {
    if (u.columnNames.length < 2) continue;
    imports.add("UniqueConstraint");
    args.push(`new UniqueConstraint(${keys(u.columnNames)}${u.name === null ? "" : `, { name: ${s(u.name)} }`})`);
  }
  for (const i of table.indexes) {
    if (i.expressions !== undefined || i.duplicatesConstraint !== undefined || i.columnNames.includes(null)) continue;
    if (backsForeignKey(table, i)) continue;
    const single = i.columnNames.length === 1;
    if (single && (i.unique || isConventionalIndex(table.name, i.name, i.columnNames[0]!))) continue;
    if (i.unique && table.uniqueConstraints.some((u) => u.columnNames.join() === i.columnNames.join())) continue;
    imports.add("Index");
    args.push(`new Index(${s(i.name)}, ${keys(i.columnNames)}${i.unique ? ", { unique: true }" : ""})`);
  }
  for (const fk of table.foreignKeys) {
    if (fk.constrainedColumns.length < 2) continue;
    imports.add("ForeignKeyConstraint");
    const prefix = `${qualified(fk.referredTable, fk.referredSchema ?? schema)}.`;
    args.push(`new ForeignKeyConstraint(${keys(fk.constrainedColumns)}, ${list(fk.referredColumns.map((c) => prefix + c))})`);
  }
  for (const c of table.checkConstraints) {
    imports.add("CheckConstraint");
    imports.add("literalColumn");
    args.push(`new CheckConstraint(literalColumn<boolean>(${s(c.sqltext)})${c.name === null ? "" : `, { name: ${s(c.name)} }`})`);
  }
  if (schema !== undefined) args.push(`{ schema: ${s(schema)} }`);
  return args;
}

/**
 * MySQL creates an index for each foreign key that has none, named after the key (or its first
 * column): the database's doing, left out as autogenerate leaves it out of its comparison.
 */
function backsForeignKey(table: CodegenTable, index: ReflectedIndex): boolean {
  return !index.unique && table.foreignKeys.some((fk) =>
    (index.name === fk.name || index.name === fk.constrainedColumns[0]) &&
    fk.constrainedColumns.join() === index.columnNames.join());
}

/**
 * `index: true` names the index `ix_<table>_<column>`; an index named otherwise is kept by name
 * in the table arguments, so that autogenerate sees no difference.
 */
function isConventionalIndex(table: string, index: string, column: string): boolean {
  return index === `ix_${table}_${column}`;
}

function relationshipExpression(rel: PlannedRelationship, schema: string | undefined): string {
  const type = rel.collection ? `${rel.target}[]` : rel.required ? rel.target : `${rel.target} | null`;
  const options = [
    ...(rel.secondary === undefined ? [] : [`secondary: ${s(qualified(rel.secondary, schema))}`]),
    ...(rel.uselistFalse ? ["uselist: false"] : []),
    ...(rel.remoteSide === undefined ? [] : [`remoteSide: ${list(rel.remoteSide)}`]),
    ...(rel.foreignKeys === undefined ? [] : [`foreignKeys: ${list(rel.foreignKeys)}`]),
    ...(rel.backPopulates === undefined ? [] : [`backPopulates: ${s(rel.backPopulates)}`]),
  ];
  return `relationship<${type}>(${s(rel.target)}${options.length === 0 ? "" : `, { ${options.join(", ")} }`})`;
}
