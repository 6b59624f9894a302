export { MysqlDialect } from "./mysql-dialect.ts";
export { MysqlCompiler } from "./mysql-compiler.ts";
export { MysqlDdlCompiler } from "./mysql-ddl-compiler.ts";
export { mysqlCapabilities, type MysqlVariant } from "./mysql-capabilities.ts";
export { mysqlTypeProcessing } from "./mysql-types.ts";
