import { describe, expect, it } from "vitest";
import { classifyMysqlError } from "../../../src/core/drivers/mysql2/classify-mysql-error.ts";
import { classifySqlstate } from "../../../src/core/drivers/sqlstate-classifier.ts";
import { translateDriverError } from "../../../src/core/drivers/translate-error.ts";
import { IntegrityError, OperationalError } from "../../../src/shared/errors.ts";

/** An error shaped as the client library raises it. */
function driverError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe("disconnect classification: a dead connection's error is an OperationalError with connectionInvalidated", () => {
  const pgDisconnects = [
    driverError("terminating connection due to administrator command", { code: "57P01" }),
    driverError("terminating connection due to crash of another server process", { code: "57P02" }),
    driverError("connection failure", { code: "08006" }),
    driverError("Connection terminated unexpectedly", {}),
    driverError("Client has encountered a connection error and is not queryable", {}),
    driverError("Client was closed and is not queryable", {}),
    driverError("read ECONNRESET", { code: "ECONNRESET" }),
  ];
  it.each(pgDisconnects.map((e) => [e.message, e]))("pg: %s", (_, error) => {
    const translated = translateDriverError(error, "SELECT 1", [], classifySqlstate);
    expect(translated).toBeInstanceOf(OperationalError);
    expect(translated.connectionInvalidated).toBe(true);
  });

  const mysqlDisconnects = [
    driverError("Connection was killed", { errno: 1927, code: "ER_CONNECTION_KILLED" }),
    driverError("MySQL server has gone away", { errno: 2006, code: "CR_SERVER_GONE_ERROR" }),
    driverError("Lost connection to MySQL server during query", { errno: 2013, code: "CR_SERVER_LOST" }),
    driverError("Connection lost: The server closed the connection.", { code: "PROTOCOL_CONNECTION_LOST", fatal: true }),
    driverError("read ECONNRESET", { code: "ECONNRESET", errno: -104, fatal: true }),
    driverError("Can't add new command when connection is in closed state", { fatal: true }),
  ];
  it.each(mysqlDisconnects.map((e) => [e.message, e]))("mysql2: %s", (_, error) => {
    const translated = translateDriverError(error, "SELECT 1", [], classifyMysqlError);
    expect(translated).toBeInstanceOf(OperationalError);
    expect(translated.connectionInvalidated).toBe(true);
  });

  it("errors of a live connection are not disconnects: lock timeout, deadlock, cancel, constraint", () => {
    const live = [
      [driverError("canceling statement due to statement timeout", { code: "57014" }), classifySqlstate],
      [driverError("deadlock detected", { code: "40P01" }), classifySqlstate],
      [driverError("duplicate key", { code: "23505" }), classifySqlstate],
      [driverError("Lock wait timeout exceeded", { errno: 1205 }), classifyMysqlError],
      [driverError("Deadlock found", { errno: 1213 }), classifyMysqlError],
      [driverError("Duplicate entry", { errno: 1062, code: "ER_DUP_ENTRY" }), classifyMysqlError],
    ] as const;
    for (const [error, classify] of live) {
      expect(translateDriverError(error, "SELECT 1", [], classify).connectionInvalidated, error.message).toBe(false);
    }
    expect(translateDriverError(live[2][0], "INSERT", [], classifySqlstate)).toBeInstanceOf(IntegrityError);
  });
});
