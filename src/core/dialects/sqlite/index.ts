export { SqliteDialect } from "./sqlite-dialect.ts";
export { SqliteCompiler } from "./sqlite-compiler.ts";
export { SqliteDdlCompiler } from "./sqlite-ddl-compiler.ts";
export { sqliteCapabilities } from "./sqlite-capabilities.ts";
export { sqliteTypeProcessing } from "./sqlite-types.ts";
