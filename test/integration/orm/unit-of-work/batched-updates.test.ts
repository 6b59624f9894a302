import { expect, it } from "vitest";
import {
  AsyncSession,
  DateType,
  Integer,
  Json,
  PendingRollbackError,
  StaleDataError,
  StringType,
  declarativeBase,
  mappedColumn,
  select,
} from "../../../../src/index.ts";
import { describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { rawRows, shapes } from "./uow-support.ts";

const Base = declarativeBase();

class Member extends Base.model("members", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30)),
  score: mappedColumn(Integer),
  born: mappedColumn(DateType),
  data: mappedColumn(Json<{ tags: string[] }>()),
}) {}

/** A composite primary key. */
class Seat extends Base.model("seats", {
  section: mappedColumn(StringType(5), { primaryKey: true }),
  number: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
  holder: mappedColumn(StringType(30)),
}) {}

let revisions = 0;

/** A callable onupdate, called once per row written. */
class Tally extends Base.model("tallies", {
  id: mappedColumn(Integer, { primaryKey: true }),
  label: mappedColumn(StringType(30)),
  revision: mappedColumn(Integer, { onupdate: () => ++revisions }),
}) {}

/** A table named like the VALUES list the batched UPDATE introduces. */
class V extends Base.model("v", {
  id: mappedColumn(Integer, { primaryKey: true }),
  label: mappedColumn(StringType(30)),
}) {}

Base.register(Member, Seat, Tally, V);

describeEachSessionKind("unit of work: UPDATEs of several rows in one statement", (db) => {
  const ctx = useSessionDatabase(db, "uow_batched_updates", Base.metadata);
  // MySQL/MariaDB have no UPDATE … FROM: one UPDATE per row there.
  const batched = db.name !== "mysql";
  const postgres = db.name === "postgresql" || db.name === "pglite";

  /** The expected batched UPDATE of `table`, matched on `keys`, setting `set`, for `rows` rows. */
  function batchedShape(table: string, keys: [string, string][], set: [string, string][], rows: number): string {
    const columns = [...keys, ...set];
    const alias = table === "v" ? '"v_"' : '"v"';
    if (postgres && !columns.some(([, cast]) => cast === "JSON")) {
      // One array per column (scalar types only): the same text for any number of rows.
      return (
        `UPDATE "${table}" SET ${set.map(([c]) => `"${c}" = ${alias}."${c}"`).join(", ")} ` +
        `FROM unnest(${columns.map(([, cast]) => `?::${cast}[]`).join(", ")}) AS ${alias} (${columns.map(([c]) => `"${c}"`).join(", ")}) ` +
        `WHERE ${keys.map(([c]) => `"${table}"."${c}" = ${alias}."${c}"`).join(" AND ")}`
      );
    }
    if (postgres) {
      const row = `(${columns.map(([, cast]) => `?::${cast}`).join(", ")})`;
      return (
        `UPDATE "${table}" SET ${set.map(([c]) => `"${c}" = ${alias}."${c}"`).join(", ")} ` +
        `FROM (VALUES ${new Array(rows).fill(row).join(", ")}) AS ${alias} (${columns.map(([c]) => `"${c}"`).join(", ")}) ` +
        `WHERE ${keys.map(([c]) => `"${table}"."${c}" = ${alias}."${c}"`).join(" AND ")}`
      );
    }
    const row = `(${columns.map(() => "?").join(", ")})`;
    return (
      `UPDATE "${table}" SET ${set.map(([c], i) => `"${c}" = ${alias}."column${keys.length + i + 1}"`).join(", ")} ` +
      `FROM (VALUES ${new Array(rows).fill(row).join(", ")}) AS ${alias} ` +
      `WHERE ${keys.map(([c], i) => `"${table}"."${c}" = ${alias}."column${i + 1}"`).join(" AND ")}`
    );
  }

  /**
   * The parameters of a batched UPDATE of these rows: row by row, or on PostgreSQL one array per
   * column, sent as the array literal the server reads (every element quoted).
   */
  function batchedParams(rows: unknown[][]): unknown[] {
    if (!postgres) return rows.flat();
    const literal = (column: unknown[]) => `{${column.map((v) => (v === null ? "NULL" : `"${String(v)}"`)).join(",")}}`;
    return (rows[0] as unknown[]).map((_, i) => literal(rows.map((row) => row[i])));
  }

  async function seedMembers(count: number): Promise<void> {
    await ctx.reset();
    await using session = ctx.openSession();
    for (let id = 1; id <= count; id++) session.add(new Member({ id, name: `m${id}`, score: id, born: "2000-01-01", data: { tags: ["s"] } }));
    await session.commit();
  }

  /** Rows of a raw query, integers as numbers (PGlite's raw rows give them as text). */
  async function table(sql: string): Promise<unknown[][]> {
    return (await rawRows(ctx.engine, sql)).map((row) => row.map((v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v)));
  }

  async function loadMembers(session: AsyncSession): Promise<Member[]> {
    return (await session.scalars(select(Member).orderBy(Member.id))).all();
  }

  it("writes rows changing the same columns with one UPDATE, matched on the primary key", async () => {
    await seedMembers(3);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const members = await loadMembers(session);
    for (const m of members) m.name = `${m.name}!`;
    const { statements } = await recorder.during(() => session.flush());
    if (batched) {
      expect(shapes(statements)).toEqual([batchedShape("members", [["id", "BIGINT"]], [["name", "VARCHAR"]], 3)]);
      expect(statements[0]?.params).toEqual(batchedParams([[1, "m1!"], [2, "m2!"], [3, "m3!"]]));
    } else {
      expect(shapes(statements)).toEqual(new Array(3).fill('UPDATE "members" SET "name"=? WHERE "members"."id" = ?'));
    }
    await session.commit();
    expect(await table("SELECT id, name FROM members ORDER BY id")).toEqual([
      [1, "m1!"],
      [2, "m2!"],
      [3, "m3!"],
    ]);
  });

  it("gives each set of changed columns its own statement, and a lone row its single-row UPDATE", async () => {
    await seedMembers(5);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const [a, b, c, d, e] = (await loadMembers(session)) as [Member, Member, Member, Member, Member];
    a.name = "A";
    b.name = "B";
    c.score = 30;
    d.score = 40;
    e.name = "E";
    e.score = 50;
    const { statements } = await recorder.during(() => session.flush());
    const single = (set: string) => `UPDATE "members" SET ${set} WHERE "members"."id" = ?`;
    if (batched) {
      expect(shapes(statements)).toEqual([
        batchedShape("members", [["id", "BIGINT"]], [["name", "VARCHAR"]], 2),
        batchedShape("members", [["id", "BIGINT"]], [["score", "BIGINT"]], 2),
        single('"name"=?, "score"=?'),
      ]);
      expect(statements.map((s) => s.params)).toEqual([
        batchedParams([
          [1, "A"],
          [2, "B"],
        ]),
        batchedParams([
          [3, 30],
          [4, 40],
        ]),
        ["E", 50, 5],
      ]);
    } else {
      expect(statements).toHaveLength(5);
    }
    await session.commit();
    expect(await table("SELECT id, name, score FROM members ORDER BY id")).toEqual([
      [1, "A", 1],
      [2, "B", 2],
      [3, "m3", 30],
      [4, "m4", 40],
      [5, "E", 50],
    ]);
  });

  it("binds NULLs and typed values (dates, JSON) in the VALUES list, NULLs in the first row too", async () => {
    await seedMembers(3);
    await using session = ctx.openSession();
    const [a, b, c] = (await loadMembers(session)) as [Member, Member, Member];
    const recorder = new StatementRecorder(ctx.sessionEngine);
    a.name = null;
    a.born = null;
    a.data = null;
    b.name = "b";
    b.born = "2001-02-03";
    b.data = { tags: ["x", "y"] };
    c.name = null;
    c.born = "1999-12-31";
    c.data = { tags: [] };
    const { statements } = await recorder.during(() => session.flush());
    if (batched) {
      const set: [string, string][] = [["name", "VARCHAR"], ["born", "DATE"], ["data", "JSON"]];
      expect(shapes(statements)).toEqual([batchedShape("members", [["id", "BIGINT"]], set, 3)]);
      expect(statements[0]?.params.slice(0, 4)).toEqual([1, null, null, null]);
    }
    await session.commit();
    await using check = ctx.openSession();
    const read = (await loadMembers(check)).map((m) => [m.id, m.name, m.born, m.data, m.score]);
    expect(read).toEqual([
      [1, null, null, null, 1],
      [2, "b", "2001-02-03", { tags: ["x", "y"] }, 2],
      [3, null, "1999-12-31", { tags: [] }, 3],
    ]);
  });

  it("raises StaleDataError when fewer rows match than were sent, and writes nothing", async () => {
    await seedMembers(3);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const members = await loadMembers(session);
    await (await session.connection()).execDriverSql("DELETE FROM members WHERE id = 2");
    for (const m of members) m.name = "renamed";
    recorder.clear();
    const error = await errorOf(() => session.flush());
    expect(error).toBeInstanceOf(StaleDataError);
    if (batched) {
      expect((error as Error).message).toBe("UPDATE statement on table 'members' expected to update 3 row(s); 2 were matched.");
      expect(recorder.statements).toHaveLength(1);
    } else {
      // One row at a time: the first row matched, the second did not.
      expect((error as Error).message).toBe("UPDATE statement on table 'members' expected to update 1 row(s); 0 were matched (Member(id=2)).");
      expect(recorder.statements).toHaveLength(2);
    }
    await expect(async () => session.execute(select(Member))).rejects.toBeInstanceOf(PendingRollbackError);
    await session.rollback();
    expect(await table("SELECT id, name FROM members ORDER BY id")).toEqual([
      [1, "m1"],
      [2, "m2"],
      [3, "m3"],
    ]);
  });

  it("matches composite primary keys on every key column", async () => {
    await ctx.reset();
    {
      await using session = ctx.openSession();
      session.addAll([new Seat({ section: "A", number: 1 }), new Seat({ section: "A", number: 2 }), new Seat({ section: "B", number: 1 })]);
      await session.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const seats = (await session.scalars(select(Seat).orderBy(Seat.section, Seat.number))).all();
    seats.forEach((s, i) => (s.holder = `h${i}`));
    const { statements } = await recorder.during(() => session.flush());
    if (batched) {
      expect(shapes(statements)).toEqual([
        batchedShape("seats", [["section", "VARCHAR"], ["number", "BIGINT"]], [["holder", "VARCHAR"]], 3),
      ]);
      expect(statements[0]?.params).toEqual(
        batchedParams([
          ["A", 1, "h0"],
          ["A", 2, "h1"],
          ["B", 1, "h2"],
        ]),
      );
    }
    await session.commit();
    expect(await table("SELECT section, number, holder FROM seats ORDER BY section, number")).toEqual([
      ["A", 1, "h0"],
      ["A", 2, "h1"],
      ["B", 1, "h2"],
    ]);
  });

  it("keeps one UPDATE per row when primary keys change", async () => {
    await seedMembers(2);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const [a, b] = (await loadMembers(session)) as [Member, Member];
    a.id = 101;
    b.id = 102;
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(new Array(2).fill('UPDATE "members" SET "id"=? WHERE "members"."id" = ?'));
    expect(statements.map((s) => s.params)).toEqual([
      [101, 1],
      [102, 2],
    ]);
    await session.commit();
    expect(await table("SELECT id FROM members ORDER BY id")).toEqual([[101], [102]]);
  });

  it("computes a callable onupdate once per row and sends it in the batch", async () => {
    await ctx.reset();
    {
      await using session = ctx.openSession();
      session.addAll([new Tally({ id: 1, label: "a" }), new Tally({ id: 2, label: "b" })]);
      await session.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ expireOnCommit: false });
    const tallies = (await session.scalars(select(Tally).orderBy(Tally.id))).all();
    for (const t of tallies) t.label = `${t.label}!`;
    const before = revisions;
    const { statements } = await recorder.during(() => session.flush());
    expect(tallies.map((t) => t.revision)).toEqual([before + 1, before + 2]);
    if (batched) {
      expect(shapes(statements)).toEqual([
        batchedShape("tallies", [["id", "BIGINT"]], [["label", "VARCHAR"], ["revision", "BIGINT"]], 2),
      ]);
      expect(statements[0]?.params).toEqual(
        batchedParams([
          [1, "a!", before + 1],
          [2, "b!", before + 2],
        ]),
      );
    }
    await session.commit();
    expect(await table("SELECT id, label, revision FROM tallies ORDER BY id")).toEqual([
      [1, "a!", before + 1],
      [2, "b!", before + 2],
    ]);
  });

  it("names the VALUES list apart from a table called v", async () => {
    await ctx.reset();
    {
      await using session = ctx.openSession();
      session.addAll([new V({ id: 1, label: "a" }), new V({ id: 2, label: "b" })]);
      await session.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    for (const v of (await session.scalars(select(V).orderBy(V.id))).all()) v.label = `${v.label}2`;
    const { statements } = await recorder.during(() => session.flush());
    if (batched) expect(shapes(statements)).toEqual([batchedShape("v", [["id", "BIGINT"]], [["label", "VARCHAR"]], 2)]);
    await session.commit();
    expect(await table("SELECT id, label FROM v ORDER BY id")).toEqual([
      [1, "a2"],
      [2, "b2"],
    ]);
  });

  it("writes strings as they are: quotes, backslashes, braces, commas, the word NULL, and NULL itself", async () => {
    await seedMembers(6);
    await using session = ctx.openSession();
    const members = await loadMembers(session);
    const names = ['say "hi"', "back\\slash \\\"", "{a,b}", "x, y", "NULL", null];
    members.forEach((m, i) => {
      m.name = names[i] as string | null;
    });
    await session.commit();
    expect((await table("SELECT name FROM members ORDER BY id")).map((row) => row[0])).toEqual(names);
  });

  it("splits a batch that would pass the bound-parameter limit (1,000 rows a statement)", async () => {
    await seedMembers(1005);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const members = await loadMembers(session);
    for (const m of members) m.score = (m.score as number) * 10;
    const { statements } = await recorder.during(() => session.flush());
    if (batched) {
      expect(shapes(statements)).toEqual([
        batchedShape("members", [["id", "BIGINT"]], [["score", "BIGINT"]], 1000),
        batchedShape("members", [["id", "BIGINT"]], [["score", "BIGINT"]], 5),
      ]);
    } else {
      expect(statements).toHaveLength(1005);
    }
    await session.commit();
    const rows = await table("SELECT count(*) FROM members WHERE score = id * 10");
    expect(Number(rows[0]?.[0])).toBe(1005);
  });

  it("reuses a compiled multi-row INSERT for new values of the same shape", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    for (const round of [0, 1]) {
      await using session = ctx.openSession();
      for (let i = 1; i <= 3; i++) session.add(new Member({ id: round * 10 + i, name: `r${round}-${i}`, score: null }));
      const { statements } = await recorder.during(() => session.flush());
      expect(shapes(statements)).toEqual(['INSERT INTO "members" ("id", "name", "score") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)']);
      expect(statements[0]?.params).toEqual([round * 10 + 1, `r${round}-1`, null, round * 10 + 2, `r${round}-2`, null, round * 10 + 3, `r${round}-3`, null]);
      await session.commit();
    }
    expect(await table("SELECT id, name FROM members ORDER BY id")).toEqual([
      [1, "r0-1"],
      [2, "r0-2"],
      [3, "r0-3"],
      [11, "r1-1"],
      [12, "r1-2"],
      [13, "r1-3"],
    ]);
  });
});
