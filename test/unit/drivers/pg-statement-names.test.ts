import { describe, expect, it } from "vitest";
import type { PgClient, PgQueryConfig, PgQueryResult } from "../../../src/core/drivers/pg/pg-api.ts";
import { PgConnection, statementNameOf } from "../../../src/core/drivers/pg/pg-connection.ts";
import { ArgumentError, NotSupportedError, ProgrammingError, createAsyncEngine } from "../../../src/index.ts";

/** A pg.Client stand-in that records each query's statement name and fails on request. */
class RecordingClient implements PgClient {
  readonly names: (string | undefined)[] = [];
  failNextWith: string | undefined;

  async connect(): Promise<unknown> {
    return undefined;
  }
  query(config: PgQueryConfig): Promise<PgQueryResult>;
  query(submittable: object): unknown;
  async query(config: PgQueryConfig | object): Promise<PgQueryResult> {
    this.names.push((config as PgQueryConfig).name);
    const code = this.failNextWith;
    this.failNextWith = undefined;
    if (code) throw Object.assign(new Error(`server says ${code}`), { code, severity: "ERROR" });
    return { command: "SELECT", rowCount: 0, fields: [], rows: [] };
  }
  async end(): Promise<void> {}
  on(): unknown {
    return this;
  }
  removeListener(): unknown {
    return this;
  }
}

const A = "SELECT a FROM alpha WHERE id = $1";
const B = "SELECT b FROM beta WHERE id = $1";

describe("pg statement names", () => {
  it("are tsal_ and 40 hex digits of the text's SHA-256: the same on every connection, different for different text", async () => {
    const first = new RecordingClient();
    const second = new RecordingClient();
    const one = new PgConnection(first);
    const two = new PgConnection(second);
    await one.execute(A, [1], { cacheable: true });
    await one.execute(B, [1], { cacheable: true });
    await one.execute(A, [2], { cacheable: true });
    // The other connection's first statement is B: under per-connection counters both would be tsal_1.
    await two.execute(B, [1], { cacheable: true });
    expect(first.names).toEqual([statementNameOf(A), statementNameOf(B), statementNameOf(A)]);
    expect(second.names).toEqual([statementNameOf(B)]);
    expect(statementNameOf(A)).toMatch(/^tsal_[0-9a-f]{40}$/);
    expect(statementNameOf(A)).not.toBe(statementNameOf(B));
  });

  it("leave statements not marked cacheable unnamed", async () => {
    const client = new RecordingClient();
    await new PgConnection(client).execute(A, [1]);
    expect(client.names).toEqual([undefined]);
  });

  it('"unnamed" never names a statement', async () => {
    const client = new RecordingClient();
    const connection = new PgConnection(client, "unnamed");
    await connection.execute(A, [1], { cacheable: true });
    await connection.execute(A, [2], { cacheable: true });
    expect(client.names).toEqual([undefined, undefined]);
  });

  it("after a stale plan (0A000) the text is prepared again under a new name that is still its hash", async () => {
    const client = new RecordingClient();
    const connection = new PgConnection(client);
    await connection.execute(A, [1], { cacheable: true });
    client.failNextWith = "0A000";
    const stale = await connection.execute(A, [1], { cacheable: true }).catch((error: unknown) => error);
    expect(stale).toBeInstanceOf(NotSupportedError);
    expect((stale as Error).message).not.toContain("pooler");
    await connection.execute(A, [1], { cacheable: true });
    await connection.execute(A, [1], { cacheable: true });
    expect(client.names).toEqual([statementNameOf(A), statementNameOf(A), `${statementNameOf(A)}_1`, `${statementNameOf(A)}_1`]);
  });

  it.each(["26000", "42P05"])("%s (missing or taken, what a transaction pooler causes) says to use unnamed statements and renames", async (code) => {
    const client = new RecordingClient();
    const connection = new PgConnection(client);
    client.failNextWith = code;
    const error = await connection.execute(B, [1], { cacheable: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgrammingError);
    expect((error as ProgrammingError).driverCode).toBe(code);
    expect((error as Error).message).toMatch(/preparedStatements: "unnamed" or \?prepared_statements=unnamed; see file:.*scale-out\.md/);
    await connection.execute(B, [1], { cacheable: true });
    expect(client.names).toEqual([statementNameOf(B), `${statementNameOf(B)}_1`]);
  });

  it("other errors keep the name", async () => {
    const client = new RecordingClient();
    const connection = new PgConnection(client);
    client.failNextWith = "42P01";
    await expect(connection.execute(A, [1], { cacheable: true })).rejects.toBeInstanceOf(ProgrammingError);
    await connection.execute(A, [1], { cacheable: true });
    expect(client.names).toEqual([statementNameOf(A), statementNameOf(A)]);
  });
});

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
