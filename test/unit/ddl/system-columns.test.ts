import { describe, expect, it } from "vitest";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import { Integer, StringType } from "../../../src/core/types/index.ts";
import { postgresqlDdl } from "./ddl-dialects.ts";

describe("system columns", () => {
  it("a column the database provides (system: true) is left out of CREATE TABLE", () => {
    const things = new Table("things", new MetaData(), {
      id: Column(Integer, { primaryKey: true }),
      xmin: Column(StringType(), { system: true }),
    });
    expect(postgresqlDdl().createTable(things, new Set())[0]).toBe(`CREATE TABLE "things" (
  "id" SERIAL NOT NULL,
  PRIMARY KEY ("id")
)`);
    expect(things.c.xmin.system).toBe(true);
  });
});
