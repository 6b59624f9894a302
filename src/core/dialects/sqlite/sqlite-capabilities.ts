import type { DialectCapabilities } from "../dialect.ts";

/**
 * SQLite as better-sqlite3 12 bundles it (3.4x+): RETURNING (3.35), FULL OUTER JOIN (3.39),
 * NULLS FIRST/LAST (3.30). No row locks (`FOR UPDATE` is left out, as SQLAlchemy does), no
 * `ALTER TABLE … ADD CONSTRAINT`, and one writer at a time.
 */
export const sqliteCapabilities: DialectCapabilities = Object.freeze({
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  upsert: "on-conflict",
  rowLocking: false,
  fullOuterJoin: true,
  exceptIntersect: true,
  alterAddForeignKey: false,
  nativeInterval: false,
  transactionalDdl: true,
  singleConnection: true,
  textStoresNul: true,
  backslashEscapes: false,
  updateFromValues: "numbered",
  expressionIndexes: true,
  identityColumns: false,
  sequences: false,
  arrays: false,
  comments: false,
});
