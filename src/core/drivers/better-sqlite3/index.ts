export { BetterSqlite3Driver, type BetterSqlite3DriverOptions } from "./better-sqlite3-driver.ts";
export { BetterSqlite3Connection } from "./better-sqlite3-connection.ts";
export { classifySqliteError } from "./classify-sqlite-error.ts";
