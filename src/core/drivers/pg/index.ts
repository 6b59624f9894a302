export { PgDriver, type PgDriverOptions, type PgDriverSettings } from "./pg-driver.ts";
export { PgConnection, type PgPreparedStatements } from "./pg-connection.ts";
