import { DataTypes, Op, Sequelize, type ModelStatic, type Model } from "sequelize";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/**
 * Sequelize 6 (model instances, no identity map) over its own drivers: `sqlite3` (Sequelize 6
 * supports no other SQLite driver) and `pg`. W2 is a joined include; W3/W4 load the collections
 * with `separate: true` (one query per level, its select-in). W6 is `bulkCreate`; W7 changes
 * loaded instances and `save`s each, the path that writes only changed attributes.
 */
// biome-ignore lint: untyped models keep the file short; the validator reads plain properties.
type AnyModel = ModelStatic<Model<any, any>>;

export function sequelizeContender(): Contender {
  let sequelize: Sequelize;
  let Organization: AnyModel;
  let User: AnyModel;
  let Post: AnyModel;
  const rolledBack = async <T>(work: (transaction: import("sequelize").Transaction) => Promise<T>): Promise<T> => {
    const transaction = await sequelize.transaction();
    try {
      return await work(transaction);
    } finally {
      await transaction.rollback();
    }
  };
  return {
    name: "sequelize",
    async open(url) {
      sequelize = url.startsWith("sqlite:")
        ? new Sequelize({ dialect: "sqlite", storage: url.slice("sqlite://".length), logging: false })
        : new Sequelize(url, { dialect: "postgres", logging: false, pool: { max: 1 } });
      const options = { timestamps: false, underscored: true };
      Organization = sequelize.define("Organization", { id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING(100) }, { ...options, tableName: "organizations" });
      User = sequelize.define(
        "User",
        { id: { type: DataTypes.INTEGER, primaryKey: true }, name: DataTypes.STRING(100), email: DataTypes.STRING(200), organizationId: DataTypes.INTEGER },
        { ...options, tableName: "users" },
      );
      Post = sequelize.define(
        "Post",
        { id: { type: DataTypes.INTEGER, primaryKey: true }, userId: DataTypes.INTEGER, title: DataTypes.STRING(200), body: DataTypes.TEXT },
        { ...options, tableName: "posts" },
      );
      Organization.hasMany(User, { as: "users", foreignKey: "organizationId" });
      User.belongsTo(Organization, { as: "organization", foreignKey: "organizationId" });
      User.hasMany(Post, { as: "posts", foreignKey: "userId" });
      Post.belongsTo(User, { as: "user", foreignKey: "userId" });
      await sequelize.authenticate();
    },
    async close() {
      await sequelize.close();
    },
    W1: () => User.findAll(),
    W2: () => User.findAll({ include: [{ model: Organization, as: "organization" }] }),
    W3: () => Organization.findAll({ include: [{ model: User, as: "users", separate: true }] }),
    W4: () =>
      Organization.findAll({
        order: [["id", "ASC"]],
        limit: 100,
        include: [{ model: User, as: "users", separate: true, include: [{ model: Post, as: "posts", separate: true }] }],
      }),
    async W5() {
      const found: unknown[] = [];
      for (let i = 0; i < 1000; i++) found.push(await User.findByPk(lookupId(i)));
      return found;
    },
    W6: () =>
      rolledBack(async (transaction) => {
        const rows = Array.from({ length: 1000 }, (_, i) => ({ id: 100_001 + i, name: `New ${100_001 + i}`, email: `new${100_001 + i}@example.com`, organizationId: 1 }));
        await User.bulkCreate(rows, { transaction });
        return User.count({ where: { id: { [Op.gt]: 100_000 } }, transaction });
      }),
    W7: () =>
      rolledBack(async (transaction) => {
        const users = await User.findAll({ where: { id: { [Op.lte]: 1000 } }, order: [["id", "ASC"]], transaction });
        for (const u of users) {
          u.set("name", `Renamed ${u.get("id")}`);
          await u.save({ transaction });
        }
        const rows = await User.findAll({ attributes: ["name"], where: { id: { [Op.lte]: 1000 } }, order: [["id", "ASC"]], transaction, raw: true });
        return rows.map((r) => (r as unknown as { name: string }).name);
      }),
    W8: () =>
      rolledBack(async (transaction) => {
        await User.bulkCreate(Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i)), { transaction });
        const n = await User.count({ where: { id: { [Op.gt]: 100_000 } }, transaction });
        const s = await User.sum("organizationId", { where: { id: { [Op.gt]: 100_000 } }, transaction });
        return [Number(n), Number(s)] as [number, number];
      }),
  };
}
