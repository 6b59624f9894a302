export { PgliteDriver, type PgliteDriverOptions } from "./pglite-driver.ts";
export { PgliteConnection } from "./pglite-connection.ts";
