export { PostgresqlDialect } from "./postgresql-dialect.ts";
export { PostgresqlCompiler } from "./postgresql-compiler.ts";
export { PostgresqlDdlCompiler } from "./postgresql-ddl-compiler.ts";
export { postgresqlCapabilities } from "./postgresql-capabilities.ts";
export { postgresqlTypeProcessing } from "./postgresql-types.ts";
