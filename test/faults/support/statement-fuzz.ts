import fc from "fast-check";
import {
  type ColumnElement,
  Column,
  DateType,
  Float,
  Integer,
  LargeBinary,
  MetaData,
  StringType,
  Table,
  Text,
  and,
  bindparam,
  case_,
  delete_,
  func,
  insert,
  literal,
  not,
  or,
  select,
  update,
} from "../../../src/index.ts";
import { valuePayloads } from "../../integration/injection/corpus.ts";

/**
 * Random statements over a small fixed schema for the compiler fuzz, with every value carrying a
 * marker the SQL text must never contain: strings `zq<n>qz` followed by hostile text from the
 * injection corpus, numbers and dates from ranges no SQL keyword or placeholder uses, bytes that
 * spell a marker. Each generated statement lists the values it bound.
 */
const metadata = new MetaData();
export const people = new Table("people", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(200)),
  bio: Column(Text),
  score: Column(Float),
  born: Column(DateType),
  avatar: Column(LargeBinary),
});
const texts = [people.c.name, people.c.bio] as const;

export type FuzzValue = string | number | Date | Uint8Array;

export interface FuzzStatement {
  readonly kind: "select" | "insert" | "update" | "delete";
  readonly statement: { readonly node: unknown };
  /** Every value bound, with the text that must not appear in SQL. */
  readonly values: readonly { readonly value: FuzzValue; readonly marker: string }[];
  /** Values given at execution for bindparam()s. */
  readonly named: Record<string, unknown>;
}

const HOSTILE = valuePayloads("canary").map((p) => p.value.slice(0, 200));

const stringValue = fc
  .tuple(fc.integer({ min: 100_000, max: 999_999_999 }), fc.constantFrom(...HOSTILE), fc.string({ maxLength: 8, unit: "binary" }))
  .map(([n, hostile, noise]) => ({ value: `zq${n}qz${hostile}${noise}`, marker: `zq${n}qz` }));
/** Integers and halves above 10^9: no placeholder number, keyword or identifier contains them. */
const numberValue = fc
  .tuple(fc.integer({ min: 1_000_000_007, max: 2_000_000_000 }), fc.boolean())
  .map(([n, half]) => ({ value: half ? n + 0.5 : n, marker: String(n) }));
const dateValue = fc
  .record({ year: fc.integer({ min: 2200, max: 9000 }), day: fc.integer({ min: 0, max: 364 }) })
  .map(({ year, day }) => {
    const value = new Date(Date.UTC(year, 0, 1 + day));
    return { value, marker: value.toISOString().slice(0, 10) };
  });
const bytesValue = fc.integer({ min: 100_000, max: 999_999_999 }).map((n) => {
  const marker = `zq${n}qz`;
  return { value: new TextEncoder().encode(`${marker}'\\\u0000"`), marker };
});

type Marked = { value: FuzzValue; marker: string };
/** A value for a column, typed for it. */
function valueFor(column: (typeof people.c)[keyof typeof people.c]): fc.Arbitrary<Marked> {
  switch (column) {
    case people.c.score:
    case people.c.id:
      return column === people.c.id ? numberValue.map((v) => ({ ...v, value: Math.trunc(v.value as number) })) : numberValue;
    case people.c.born:
      return dateValue;
    case people.c.avatar:
      return bytesValue;
    default:
      return stringValue;
  }
}

type Built<T> = { node: T; values: Marked[]; named: Record<string, unknown> };

const columnNames = ["id", "name", "bio", "score", "born", "avatar"] as const;
const columnOf = (name: (typeof columnNames)[number]) => people.c[name] as ColumnElement<unknown> & { eq(v: unknown): ColumnElement<boolean> };

/** A random condition: comparisons, IN, LIKE, BETWEEN, functions, CASE, literal(), bindparam(), and/or/not. */
const condition: fc.Arbitrary<Built<ColumnElement<boolean>>> = fc.letrec<{ cond: Built<ColumnElement<boolean>> }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.tuple(fc.constantFrom(...columnNames), fc.constantFrom("eq", "ne", "gt", "le")).chain(([name, op]) =>
      valueFor(people.c[name] as never).map((v) => {
        const column = columnOf(name) as unknown as Record<string, (x: unknown) => ColumnElement<boolean>>;
        return { node: (column[op] as (x: unknown) => ColumnElement<boolean>).call(column, v.value), values: [v], named: {} };
      }),
    ),
    fc.tuple(fc.constantFrom(...texts), fc.array(stringValue, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([column, vs, negated]) => ({
      node: negated ? column.notIn(vs.map((v) => v.value)) : column.in(vs.map((v) => v.value)),
      values: vs,
      named: {},
    })),
    fc.tuple(fc.constantFrom(...texts), stringValue, fc.constantFrom("like", "ilike", "notLike", "startsWith", "endsWith", "contains")).map(
      ([column, v, op]) => ({ node: (column as unknown as Record<string, (x: string) => ColumnElement<boolean>>)[op]?.call(column, v.value as string) as ColumnElement<boolean>, values: [v], named: {} }),
    ),
    fc.tuple(numberValue, numberValue).map(([a, b]) => ({ node: people.c.score.between(a.value as number, b.value as number), values: [a, b], named: {} })),
    fc.tuple(fc.constantFrom(...texts), stringValue).map(([column, v]) => ({ node: func.lower(column).eq(v.value as string), values: [v], named: {} })),
    fc.tuple(stringValue, stringValue).map(([a, b]) => ({ node: literal(a.value as string).ne(b.value as string), values: [a, b], named: {} })),
    fc.tuple(stringValue, stringValue, stringValue).map(([when, then, otherwise]) => ({
      node: case_([[people.c.name.eq(when.value as string), then.value as string]], { else: otherwise.value as string }).ne(people.c.bio) as ColumnElement<boolean>,
      values: [when, then, otherwise],
      named: {},
    })),
    fc.tuple(fc.constantFrom(...texts), stringValue, fc.integer({ min: 0, max: 1_000 })).map(([column, v, n]) => ({
      node: column.eq(bindparam(`p${n}`, Text)),
      values: [v],
      named: { [`p${n}`]: v.value },
    })),
    // Two bindparam()s of one name are one parameter (one value at execution), so a pair that
    // would name two values alike is not a statement the fuzz can check: it is left out.
    fc
      .tuple(tie("cond"), tie("cond"), fc.constantFrom("and", "or"))
      .filter(([a, b]) => Object.keys(a.named).every((name) => !(name in b.named)))
      .map(([a, b, op]) => ({
        node: op === "and" ? and(a.node, b.node) : or(a.node, b.node),
        values: [...a.values, ...b.values],
        named: { ...a.named, ...b.named },
      })),
    tie("cond").map((a) => ({ ...a, node: not(a.node) })),
  ),
})).cond;

const writable = ["name", "bio", "score", "born", "avatar"] as const;
/** Rows with the same keys (a multi-row VALUES has one column list). */
const rowsOfValues = (maxRows: number) =>
  fc
    .subarray([...writable], { minLength: 1 })
    .chain((keys) =>
      fc.array(fc.tuple(...keys.map((name) => valueFor(people.c[name] as never).map((v) => [name, v] as const))), { minLength: 1, maxLength: maxRows }),
    );

const selectStatement = fc
  .record({
    columns: fc.subarray([...columnNames], { minLength: 1 }),
    where: fc.option(condition, { nil: undefined }),
    order: fc.array(fc.tuple(fc.constantFrom(...columnNames), fc.boolean()), { maxLength: 3 }),
    orderByValue: fc.option(stringValue, { nil: undefined }),
    limit: fc.option(numberValue.map((v) => ({ ...v, value: Math.trunc(v.value as number) })), { nil: undefined }),
    offset: fc.option(numberValue.map((v) => ({ ...v, value: Math.trunc(v.value as number) })), { nil: undefined }),
  })
  .map(({ columns, where, order, orderByValue, limit, offset }) => {
    let statement = select(...columns.map((name) => people.c[name]));
    const values: Marked[] = [];
    if (where) {
      statement = statement.where(where.node);
      values.push(...where.values);
    }
    for (const [name, descending] of order) statement = statement.orderBy(descending ? people.c[name].desc() : people.c[name].asc());
    if (orderByValue) {
      statement = statement.orderBy(people.c.name.eq(orderByValue.value as string));
      values.push(orderByValue);
    }
    if (limit) {
      statement = statement.limit(limit.value as number);
      values.push(limit);
    }
    if (offset) {
      statement = statement.offset(offset.value as number);
      values.push(offset);
    }
    return { kind: "select" as const, statement, values, named: where?.named ?? {} };
  });

const insertStatement = rowsOfValues(3).map((rows) => ({
  kind: "insert" as const,
  statement: insert(people).values(rows.map((row) => Object.fromEntries(row.map(([name, v]) => [name, v.value]))) as never),
  values: rows.flatMap((row) => row.map(([, v]) => v)),
  named: {},
}));

const updateStatement = fc.tuple(rowsOfValues(1), fc.option(condition, { nil: undefined })).map(([[row = []], where]) => {
  let statement = update(people).values(Object.fromEntries(row.map(([name, v]) => [name, v.value])) as never);
  if (where) statement = statement.where(where.node);
  return { kind: "update" as const, statement, values: [...row.map(([, v]) => v), ...(where?.values ?? [])], named: where?.named ?? {} };
});

const deleteStatement = condition.map((where) => ({
  kind: "delete" as const,
  statement: delete_(people).where(where.node),
  values: where.values,
  named: where.named,
}));

export const fuzzStatement: fc.Arbitrary<FuzzStatement> = fc.oneof(selectStatement, insertStatement, updateStatement, deleteStatement);
