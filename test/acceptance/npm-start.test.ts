import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * `npm start` (README): the post told in both worlds on embedded SQLite. Run as a newcomer runs
 * it; its two acts must show the post's contrast: under AsyncSession user_ng's organization
 * raises MissingGreenlet, under the synchronous Session the same read runs one SELECT.
 */
describe("npm start", () => {
  it("tells the post with AsyncSession, then with the synchronous Session", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const output = execFileSync(process.execPath, ["--import", "tsx", "examples/missing-greenlet.ts"], { cwd: root, encoding: "utf8" });
    const [first, second] = output.split("Second act");
    expect(first).toContain("✗ MissingGreenlet (code xd2s)");
    expect(first).toContain("User(id=100).organization");
    expect(second).toBeDefined();
    const userNg = (second ?? "").split("user_ng (id 100)")[1] ?? "";
    expect(userNg).toMatch(/user_ng\.organization\.name = "organization 2"\n\s+SQL> SELECT "organizations"\."id", "organizations"\."name" FROM "organizations" WHERE "organizations"\."id" = \? {3}-- \[2\]/);
    expect(second).toContain("N+1 loading: Organization.users was loaded one parent at a time");
    expect(second).not.toContain("MissingGreenlet (code");
  }, 60_000);
});
