import type { DialectCapabilities } from "../dialect.ts";

/** PostgreSQL (server and PGlite): every capability but the MySQL upsert. */
export const postgresqlCapabilities: DialectCapabilities = Object.freeze({
  insertReturning: true,
  updateReturning: true,
  deleteReturning: true,
  upsert: "on-conflict",
  rowLocking: true,
  fullOuterJoin: true,
  exceptIntersect: true,
  alterAddForeignKey: true,
  nativeInterval: true,
  transactionalDdl: true,
  singleConnection: false,
  textStoresNul: false,
  backslashEscapes: false,
  updateFromValues: "named",
  expressionIndexes: true,
  identityColumns: true,
  sequences: true,
  arrays: true,
  comments: true,
});
