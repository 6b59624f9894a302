export { PgDriver, type PgDriverOptions } from "./pg-driver.ts";
export { PgConnection } from "./pg-connection.ts";
