import { describe, expect, it } from "vitest";
import { ArgumentError, createAsyncEngine } from "../../../src/index.ts";

describe("preparedStatements engine option", () => {
  it("accepts named and unnamed, as an option or as ?prepared_statements= in a PostgreSQL URL", () => {
    for (const url of ["postgresql://u@h/db", "postgresql://u@h/db?prepared_statements=unnamed", "postgres://u@h/db?sslmode=disable&prepared_statements=named"]) {
      expect(() => createAsyncEngine(url, { preparedStatements: "unnamed" })).not.toThrow();
      expect(() => createAsyncEngine(url)).not.toThrow();
    }
  });

  it("rejects any other value with ArgumentError", () => {
    expect(() => createAsyncEngine("postgresql://u@h/db?prepared_statements=off")).toThrow(ArgumentError);
    expect(() => createAsyncEngine("postgresql://u@h/db", { preparedStatements: "none" as "named" })).toThrow(
      'preparedStatements must be "named" or "unnamed" (got "none")',
    );
  });
});
