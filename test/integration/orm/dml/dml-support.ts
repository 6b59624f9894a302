import { Integer, StringType, declarativeBase, mappedColumn } from "../../../../src/index.ts";

/**
 * The model of the ORM DML tests: attribute keys that differ from their column names
 * (`fullName` → `full_name`, `loginCount` → `login_count`), a client-side default and a
 * client-side onupdate.
 */
export const Base = declarativeBase();

export class Member extends Base.model("dml_members", {
  id: mappedColumn(Integer, { primaryKey: true }),
  fullName: mappedColumn(StringType(50), { name: "full_name", nullable: false }),
  team: mappedColumn(StringType(20), { default: "red" }),
  loginCount: mappedColumn(Integer, { name: "login_count", default: () => 0 }),
  editedBy: mappedColumn(StringType(20), { name: "edited_by", nullable: true, onupdate: () => "orm" }),
}) {}
Base.register(Member);
