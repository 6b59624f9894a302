export { Mysql2Driver, type Mysql2DriverOptions } from "./mysql2-driver.ts";
export { Mysql2Connection } from "./mysql2-connection.ts";
export { classifyMysqlError } from "./classify-mysql-error.ts";
