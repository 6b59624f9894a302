export { Column, ColumnSpec, TableColumn, type ColumnOptions, type ColumnValue, type ServerDefault } from "./column.ts";
export {
  CheckConstraint,
  ForeignKeyConstraint,
  Index,
  type IndexOptions,
  PrimaryKeyConstraint,
  UniqueConstraint,
  type TableConstraint,
} from "./constraints.ts";
export { ForeignKey, ForeignKeySpec, type ForeignKeyOptions, type ReferentialAction } from "./foreign-key.ts";
export { MetaData, type AsyncDdlRunner, type CreationOrder, type DdlRunner, type SyncDdlRunner } from "./metadata.ts";
export { Table, type ColumnSpecs, type TableColumns } from "./table.ts";
export type { ReflectOptions, TableReflector } from "./table-reflector.ts";
export { DEFAULT_NAMING_CONVENTION, type NamingConvention, type NamingTable } from "./naming-convention.ts";
export type { TableArg, TableOptions } from "./table-options.ts";
export { Computed } from "./computed.ts";
export { Identity, type SequenceOptions } from "./identity.ts";
export { Sequence } from "./sequence.ts";
