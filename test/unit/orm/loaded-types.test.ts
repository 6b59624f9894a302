import { describe, expect, it } from "vitest";
import { type Loaded, joinedload, raiseload, select, selectinload } from "../../../src/index.ts";
import { Organization } from "../../fixtures/seed-models/organization.ts";
import { User } from "../../fixtures/seed-models/user.ts";

/**
 * Result types know what a query loaded: a lazy relationship is `T | NotLoaded<T>`, so reading
 * through it does not compile, until an option loads it. The `@ts-expect-error` lines are the
 * assertions (`npm run typecheck` fails if they compile); the runtime checks pin the options' paths.
 */
describe("typed loading", () => {
  it("a lazy relationship read through does not compile; an option that loads it makes it compile", () => {
    type Row = ReturnType<typeof rowOf>;
    function rowOf(user: User) {
      // @ts-expect-error organization may be NotLoaded: select(User) did not load it
      return user.organization.name;
    }
    const loaded = select(User).options(joinedload(User.organization));
    type LoadedUser = (typeof loaded)["__row"][0];
    const read = (user: LoadedUser): string | null => user.organization.name;
    const check: Loaded<User, "organization"> extends LoadedUser ? true : false = true;
    expect(check).toBe(true);
    expect(typeof read).toBe("function");
    expect(loaded.loaderOptions.map(String)).toEqual(["joinedload(User.organization)"]);
    void (undefined as unknown as Row);
  });

  it("options that do not load (raiseload) leave the type unloaded; collections load as arrays", () => {
    const raised = select(User).options(raiseload(User.organization));
    type RaisedUser = (typeof raised)["__row"][0];
    const unloaded: RaisedUser["organization"] extends Organization ? false : true = true;
    expect(unloaded).toBe(true);
    const orgs = select(Organization).options(selectinload(Organization.users));
    type LoadedOrg = (typeof orgs)["__row"][0];
    const count = (org: LoadedOrg): number => org.users.length;
    expect(typeof count).toBe("function");
    // Without an option, the collection may be NotLoaded: its type is not just the array.
    const lazy: Organization["users"] extends User[] ? false : true = true;
    expect(lazy).toBe(true);
  });
});
