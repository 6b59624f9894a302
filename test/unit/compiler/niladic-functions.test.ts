import { describe, expect, it } from "vitest";
import { func, select } from "../../../src/index.ts";
import { compileFor, dialects } from "./compile-for.ts";

/** `func.current_timestamp!()` renders bare on every dialect, as SQLAlchemy does (SQLite rejects the parentheses). */
describe("niladic SQL functions", () => {
  for (const name of Object.keys(dialects) as (keyof typeof dialects)[]) {
    it(`renders CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME without parentheses [${name}]`, () => {
      const statement = select(func.current_timestamp!().label("now"), func.current_date!().label("today"), func.current_time!().label("time"));
      const { sql, params } = compileFor(name, statement);
      expect(sql).toMatch(/^SELECT CURRENT_TIMESTAMP AS .now., CURRENT_DATE AS .today., CURRENT_TIME AS .time.$/);
      expect(params).toEqual([]);
    });
  }
  it("a niladic name called with arguments keeps them", () => {
    expect(compileFor("postgresql", select(func.current_date!(1 as never).label("d"))).sql).toContain("current_date(");
  });
});
