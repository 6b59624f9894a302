/**
 * Issue 14, schema on models: a model's table arguments (SQLAlchemy's `__table_args__`) are
 * created on every database of the matrix, read back by the inspector, and enforced.
 */
import { expect, it } from "vitest";
import {
  AsyncSession,
  CheckConstraint,
  Index,
  IntegrityError,
  Integer,
  MetaData,
  NotSupportedFeatureError,
  StringType,
  UniqueConstraint,
  declarativeBase,
  func,
  inspect,
  mappedColumn,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

function accountModel(functionalIndex: boolean) {
  const Base = declarativeBase({ metadata: new MetaData({ namingConvention: { ix: "ix_%(column_0_label)s", uq: "uq_%(table_name)s_%(column_0_N_name)s" } }) });
  class Account extends Base.model(
    "accounts",
    {
      id: mappedColumn(Integer, { primaryKey: true }),
      tenantId: mappedColumn(Integer, { name: "tenant_id", nullable: false }),
      email: mappedColumn(StringType(200), { nullable: false, comment: "login, as typed" }),
      balance: mappedColumn(Integer, { nullable: false }),
    },
    {
      tableArgs: [
        new UniqueConstraint(["tenantId", "email"]),
        (c) => new CheckConstraint(c.balance.ge(0), { name: "ck_accounts_balance" }),
        (c) => (functionalIndex ? [new Index("ix_accounts_lower_email", [func.lower(c.email)])] : []),
        (c) => new Index(null, ["balance"], { postgresqlWhere: c.balance.gt(1000), sqliteWhere: c.balance.gt(1000) }),
        { comment: "one row per login's account" },
      ],
    },
  ) {}
  return { Base, Account };
}

describeEachDatabase("table arguments on models", (db) => {
  const ctx = useIsolatedDatabase(db, "schema_table_args", new MetaData());

  it("creates constraints, indexes and comments, reads them back, and enforces them", async () => {
    const caps = ctx.engine.dialect.capabilities;
    if (!caps.expressionIndexes) {
      const { Base } = accountModel(true);
      await expect(ctx.engine.begin((conn) => Base.metadata.createAll(conn))).rejects.toThrow(NotSupportedFeatureError);
    }
    const { Base, Account } = accountModel(caps.expressionIndexes);
    await ctx.engine.begin((conn) => Base.metadata.createAll(conn));
    try {
      const insp = inspect(ctx.engine);
      expect((await insp.getUniqueConstraints("accounts")).map((u) => [u.name, u.columnNames])).toEqual([
        ["uq_accounts_tenant_id_email", ["tenant_id", "email"]],
      ]);
      expect((await insp.getCheckConstraints("accounts")).map((c) => c.name)).toContain("ck_accounts_balance");
      const indexes = await insp.getIndexes("accounts");
      const names = indexes.map((i) => i.name);
      expect(names).toContain("ix_accounts_balance");
      if (caps.expressionIndexes) expect(names).toContain("ix_accounts_lower_email");
      if (caps.comments) {
        expect(await insp.getTableComment("accounts")).toEqual({ text: "one row per login's account" });
        const email = (await insp.getColumns("accounts")).find((c) => c.name === "email");
        expect(email?.comment).toBe("login, as typed");
      }

      // Reflection carries comments, expression and partial indexes into a Table.
      const reflected = new MetaData();
      await reflected.reflect(insp, { only: ["accounts"] });
      const table = reflected.tables.get("accounts")!;
      expect(table.comment).toBe(caps.comments ? "one row per login's account" : undefined);
      expect(table.column("email")?.comment).toBe(caps.comments ? "login, as typed" : undefined);
      const balanceIndex = table.indexes.find((i) => i.name === "ix_accounts_balance");
      expect(balanceIndex?.columns).toEqual(["balance"]);
      if (caps.expressionIndexes) expect(table.indexes.find((i) => i.name === "ix_accounts_lower_email")?.isFunctional).toBe(true);

      const session = new AsyncSession(ctx.engine);
      session.add(new Account({ tenantId: 1, email: "ann@example.com", balance: 5 }));
      await session.commit();
      session.add(new Account({ tenantId: 1, email: "ann@example.com", balance: 7 }));
      await expect(session.commit()).rejects.toThrow(IntegrityError);
      await session.rollback();
      session.add(new Account({ tenantId: 2, email: "bob@example.com", balance: -1 }));
      await expect(session.commit()).rejects.toThrow(IntegrityError);
      await session.rollback();
      await session.close();
    } finally {
      await ctx.engine.begin((conn) => Base.metadata.dropAll(conn));
    }
  });
});
