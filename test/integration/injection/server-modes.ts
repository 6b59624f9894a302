import { type AsyncEngine, text } from "../../../src/index.ts";
import type { TestDatabase } from "../../support/databases.ts";

/**
 * A server setting that changes how string literals are read (reliability anchor B2): escaping
 * that assumes the default breaks under the other one (Sequelize CVE-2019-11069, Kysely's MySQL
 * backslash advisories). Bound values must not care, so the corpus runs under both.
 */
export interface ServerMode {
  readonly label: string;
  /** Applies the mode to the engine's (single) pooled connection. */
  apply(engine: AsyncEngine): Promise<void>;
  /** Whether the mode is still in force, read from the server. */
  isActive(engine: AsyncEngine): Promise<boolean>;
}

const DEFAULT_MODE: ServerMode = {
  label: "default mode",
  apply: async () => {},
  isActive: async () => true,
};

/** PostgreSQL with `standard_conforming_strings = off`: `\` escapes inside '…' again. */
const NON_STANDARD_STRINGS: ServerMode = {
  label: "standard_conforming_strings off",
  apply: async (engine) => {
    // In a committed transaction, so the session keeps the setting.
    await engine.begin((conn) => conn.execute(text("SET standard_conforming_strings = off")));
  },
  isActive: async (engine) =>
    (await engine.begin((conn) => conn.execute(text("SHOW standard_conforming_strings")))).scalarOne() === "off",
};

/** MariaDB with `NO_BACKSLASH_ESCAPES`: `\` is an ordinary character inside '…'. */
const NO_BACKSLASH_ESCAPES: ServerMode = {
  label: "NO_BACKSLASH_ESCAPES",
  apply: async (engine) => {
    await engine.begin((conn) => conn.execute(text("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")));
  },
  isActive: async (engine) =>
    String((await engine.begin((conn) => conn.execute(text("SELECT @@SESSION.sql_mode AS m")))).scalarOne()).includes(
      "NO_BACKSLASH_ESCAPES",
    ),
};

/** The modes to run the corpus under on one database of the matrix (server settings, not dialect features). */
export function serverModes(db: TestDatabase): ServerMode[] {
  switch (db.name) {
    case "sqlite":
      return [DEFAULT_MODE];
    case "pglite":
    case "postgresql":
      return [DEFAULT_MODE, NON_STANDARD_STRINGS];
    case "mysql":
      return [DEFAULT_MODE, NO_BACKSLASH_ESCAPES];
  }
}
