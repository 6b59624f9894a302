import { type AsyncEngine, Integer, StringType, declarativeBase, insert, mappedColumn, select } from "../../../../src/index.ts";
import { type StatementSource, StatementRecorder } from "../../../support/statements.ts";

/**
 * The model of the ORM DML tests: attribute keys that differ from their column names
 * (`fullName` → `full_name`, `loginCount` → `login_count`), a client-side default and a
 * client-side onupdate.
 */
export const Base = declarativeBase();

export class Member extends Base.model("dml_members", {
  id: mappedColumn(Integer, { primaryKey: true }),
  fullName: mappedColumn(StringType(50), { name: "full_name", nullable: false }),
  team: mappedColumn(StringType(20), { default: "red" }),
  loginCount: mappedColumn(Integer, { name: "login_count", default: () => 0 }),
  editedBy: mappedColumn(StringType(20), { name: "edited_by", nullable: true, onupdate: () => "orm" }),
}) {}
Base.register(Member);

/** A member row as read back on a connection of its own. */
export interface MemberRow {
  id: number;
  fullName: string;
  team: string | null;
  loginCount: number | null;
  editedBy: string | null;
}

/** Inserts rows (committed) on a connection of its own. */
export async function seedMembers(engine: AsyncEngine, rows: readonly { id: number; fullName: string; team?: string; loginCount?: number }[]): Promise<void> {
  await using conn = await engine.connect();
  await conn.execute(insert(Member), rows.map((r) => ({ team: "red", loginCount: 0, ...r })));
  await conn.commit();
}

/** Every member row, by id, read on a connection of its own. */
export async function readMembers(engine: AsyncEngine): Promise<MemberRow[]> {
  await using conn = await engine.connect();
  const rows = await conn.execute(select(Member.id, Member.fullName, Member.team, Member.loginCount, Member.editedBy).orderBy(Member.id));
  return rows.all() as MemberRow[];
}

/** The statements `work` ran (transaction control left out). */
export async function statementsOf<T>(engine: StatementSource, work: () => Promise<T>): Promise<{ value: T; sql: string[] }> {
  const recorder = new StatementRecorder(engine);
  try {
    const { value, statements } = await recorder.during(work);
    return { value, sql: statements.map((s) => s.sql) };
  } finally {
    recorder.stop();
  }
}
