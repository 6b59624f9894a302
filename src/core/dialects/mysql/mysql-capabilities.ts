import type { DialectCapabilities } from "../dialect.ts";

/** Which server the MySQL dialect writes for: MariaDB (the default) or MySQL 8. */
export type MysqlVariant = "mariadb" | "mysql";

/**
 * MariaDB ≥ 10.5: INSERT and DELETE … RETURNING (not UPDATE), EXCEPT/INTERSECT (10.3; ALL in
 * 10.5), NOWAIT / SKIP LOCKED (10.6). MySQL 8 (≥ 8.0.31 for EXCEPT/INTERSECT) has no RETURNING.
 * Neither has FULL OUTER JOIN, an INTERVAL column type, or transactional DDL.
 */
export function mysqlCapabilities(variant: MysqlVariant = "mariadb"): DialectCapabilities {
  const mariadb = variant === "mariadb";
  return Object.freeze({
    insertReturning: mariadb,
    updateReturning: false,
    deleteReturning: mariadb,
    upsert: "on-duplicate-key",
    rowLocking: true,
    fullOuterJoin: false,
    exceptIntersect: true,
    alterAddForeignKey: true,
    nativeInterval: false,
    transactionalDdl: false,
    singleConnection: false,
    textStoresNul: true,
    backslashEscapes: true,
    updateFromValues: "none",
    expressionIndexes: !mariadb,
    identityColumns: false,
    sequences: mariadb,
    comments: true,
    arrays: false,
  });
}
