/**
 * tsalchemy: SQLAlchemy 2.0 for TypeScript. The public API, as explicit named exports; anything
 * not listed here is internal. Dialects and drivers also have subpath entries
 * (`tsalchemy/dialects/sqlite`, `tsalchemy/drivers/pg` …).
 */
import { statementDisplayCompiler } from "./core/compiler/statement-display-compiler.ts";
import { dialectNamed } from "./core/engine/create-async-engine.ts";
import { AsyncConnection as AsyncConnectionClass } from "./core/engine/async-connection.ts";
import { AsyncEngine as AsyncEngineClass } from "./core/engine/async-engine.ts";
import { Inspector as SchemaInspector, inspect as inspectDatabase } from "./core/reflection/inspector.ts";
import { InstanceInspection as ObjectInspection, inspect as inspectObject } from "./orm/inspection.ts";
import { installStatementCompiler } from "./core/sql/statement-compilation.ts";

export {
  ArgumentError,
  DBAPIError,
  DataError,
  DatabaseError,
  IllegalStateChangeError,
  IntegrityError,
  InterfaceError,
  InternalError,
  ReadOnlyTransactionError,
  InvalidRequestError,
  NoSuchTableError,
  MissingDriverError,
  MultipleResultsFound,
  NoResultFound,
  NotSupportedError,
  NotSupportedFeatureError,
  OperationalError,
  ProgrammingError,
  StatementValueError,
  TimeoutError,
  TsalchemyError,
  MissingGreenlet,
  StrictLoadingError,
  NPlusOneError,
  DetachedInstanceError,
  PendingRollbackError,
  ObjectDeletedError,
  StaleDataError,
  FlushError,
  UnmappedError,
  QueryCanceledError,
  type CancelReason,
  ResourceClosedError,
  UnsetValueError,
} from "./shared/errors.ts";
export {
  ARRAY,
  type NestedArray,
  BigInteger,
  BooleanType,
  BooleanType as Boolean,
  DateTime,
  DateType,
  DateType as Date,
  Enum,
  Float,
  Integer,
  Interval,
  Json,
  LargeBinary,
  NullType,
  Numeric,
  SmallInteger,
  StringType,
  StringType as String,
  SqlType,
  Text,
  Time,
  Uuid,
  TypeDecorator,
  type TypeDecoratorOptions,
  type TypeDialectName,
  type TypeOf,
} from "./core/types/index.ts";
export {
  CheckConstraint,
  Column,
  ForeignKey,
  ForeignKeyConstraint,
  ForeignKeySpec,
  Index,
  MetaData,
  PrimaryKeyConstraint,
  Table,
  TableColumn,
  UniqueConstraint,
  type ColumnOptions,
  type ForeignKeyOptions,
  type ReferentialAction,
  type ReflectOptions,
  type TableReflector,
  DEFAULT_NAMING_CONVENTION,
  Computed,
  Identity,
  Sequence,
  type SequenceOptions,
  type IndexOptions,
  type NamingConvention,
  type NamingTable,
  type TableArg,
  type TableOptions,
} from "./core/schema/index.ts";
export { Inspector, type InspectionTarget } from "./core/reflection/inspector.ts";
export type {
  ReflectedCheckConstraint,
  ReflectedColumn,
  ReflectedComputed,
  ReflectedForeignKeyConstraint,
  ReflectedIdentity,
  ReflectedIndex,
  ReflectedPrimaryKeyConstraint,
  ReflectedTableComment,
  ReflectedUniqueConstraint,
} from "./core/reflection/reflected.ts";
export { ColumnElement, JsonElement, Label, Ordering, type ArrayItem, type ArrayScalar } from "./core/sql/column-element.ts";
export { type Expression, type Coercible } from "./core/sql/coercions.ts";
export { ColumnRef, FromClause, Alias } from "./core/sql/from-clause.ts";
export { alias } from "./core/sql/alias.ts";
export { union, unionAll, except, intersect, Select, CompoundSelect, type RowOf } from "./core/sql/select.ts";
export { Subquery, Cte } from "./core/sql/query-from-clause.ts";
export { type JoinTarget, type Joinable } from "./core/sql/join-target.ts";
export { insert, excluded, Insert } from "./core/sql/insert.ts";
export { update, Update } from "./core/sql/update.ts";
export { delete_, Delete } from "./core/sql/delete.ts";
export type { DmlTargetable, DmlExecutionOptions, SynchronizeSession, ReturningArg, ReturningRow } from "./core/sql/dml-target.ts";
export { text, TextClause } from "./core/sql/text.ts";
export type { CompileOptions, CompiledSql, DialectName, DialectRef } from "./core/sql/statement-compilation.ts";
export { func, FunctionElement } from "./core/sql/functions.ts";
export {
  and,
  or,
  not,
  any_,
  all_,
  literal,
  bindparam,
  literalColumn,
  nullValue,
  true_,
  false_,
  cast,
  case_,
  exists,
  distinct,
  asc,
  desc,
} from "./core/sql/elements.ts";
export { createAsyncEngine } from "./core/engine/create-async-engine.ts";
export { AsyncEngine, type EngineOptions, type StatementListener } from "./core/engine/async-engine.ts";
export { waitForReplay, type WaitForReplayOptions } from "./core/engine/wait-for-replay.ts";
export type { Logger, LogLevel, LogMethod } from "./core/engine/logger.ts";
export type { StatementEvent, StatementEndListener } from "./core/engine/statement-event.ts";
export { AsyncConnection } from "./core/engine/async-connection.ts";
export type { StatementOptions } from "./core/engine/statement-options.ts";
export type { IsolationLevel, TransactionOptions } from "./core/dialects/transaction-options.ts";
export { Transaction } from "./core/engine/transaction.ts";
export { createEngine } from "./core/engine/create-engine.ts";
export { Engine, type SyncEngineOptions } from "./core/engine/engine.ts";
export { Connection } from "./core/engine/connection.ts";
export { SyncTransaction } from "./core/engine/sync-transaction.ts";
export type { AnyConnection } from "./core/engine/any-connection.ts";
export { Result, ScalarResult } from "./core/engine/result.ts";
export { MappingResult, type RowMapping, type TupleOf } from "./core/engine/result.ts";
export { StreamingResult } from "./core/engine/streaming-result.ts";
export type { Executable, NamedParams } from "./core/engine/executable.ts";
export type { Dialect, DialectCapabilities } from "./core/dialects/dialect.ts";
export type { Driver, DriverConnection } from "./core/drivers/driver.ts";

// ORM
export { select, type EntityRow } from "./orm/query/orm-select.ts";
export { EntitySelect } from "./orm/query/entity-select.ts";
export { aliased, type AliasedClass } from "./orm/query/aliased.ts";
export { withPolymorphic, type PolymorphicEntity } from "./orm/query/polymorphic-entity.ts";
export { selectinPolymorphic, SelectinPolymorphicOption } from "./orm/loading/selectin-polymorphic.ts";
export type { SubclassOf, SubclassOptions } from "./orm/declarative/subclass-types.ts";
export type { ModelSubclassing } from "./orm/declarative/declarative-base.ts";
export type { PolymorphicLoad } from "./orm/mapper/inheritance.ts";
export {
  joinedload,
  selectinload,
  subqueryload,
  immediateload,
  lazyload,
  raiseload,
  noload,
  defaultload,
  containsEager,
  loadOnly,
  defer,
  undefer,
} from "./orm/loading/loader-options.ts";
export { LoaderOption } from "./orm/loading/loader-option.ts";
export { Load, BoundLoad } from "./orm/loading/bound-load.ts";
export type { ColumnOptionFlags } from "./orm/loading/loader-option.ts";
export { withLoaderCriteria, LoaderCriteriaOption, type LoaderCriteria, type LoaderCriteriaOptions } from "./orm/loading/loader-criteria.ts";
export { explainLoading, type LoadingExplanation, type LoadingStep } from "./orm/loading/explain-loading.ts";
export type { StrictLoadingMode } from "./orm/session/strict-loading.ts";
export type { NPlusOneOptions, NPlusOneReport } from "./orm/session/n-plus-one.ts";
export { declarativeBase, type DeclarativeBase, type ModelClass } from "./orm/declarative/declarative-base.ts";
export { mappedColumn, type MappedColumnOptions } from "./orm/mapping/mapped-column.ts";
export { relationship, type LoadStrategy, type RelationshipOptions } from "./orm/mapping/relationship.ts";
export { hybridProperty, HybridProperty, type HybridPropertyOptions } from "./orm/declarative/hybrid-property.ts";
export { hybridMethod, type HybridMethod } from "./orm/declarative/hybrid-method.ts";
export { validates, type Validator } from "./orm/declarative/validates.ts";
export { synonym, SynonymSpec } from "./orm/mapping/synonym.ts";
export { composite, CompositeSpec, type CompositeValue } from "./orm/mapping/composite.ts";
export { CompositeAttribute } from "./orm/declarative/composite-attribute.ts";
export { columnProperty, ColumnPropertyAttribute, type ColumnPropertyOptions } from "./orm/declarative/column-property-attribute.ts";
export { associationProxy, AssociationProxy, type AssociationList, type AssociationProxyOptions } from "./orm/declarative/association-proxy.ts";
export type { NotLoaded, Loaded } from "./orm/mapping/model-types.ts";
export type { ModelRelationship } from "./orm/declarative/model-class-types.ts";
export type { ModelOptions, ModelTableColumns } from "./orm/declarative/model-options.ts";
export { AsyncSession, type SessionOptions, type SessionStatementOptions } from "./orm/session/async-session.ts";
export { Session, SyncSessionTransaction } from "./orm/session/session.ts";
export { SyncResult, SyncScalarResult } from "./orm/session/sync-result.ts";
export type { Readable, ReadableRow } from "./orm/mapping/readable.ts";
export { ShardedSession, type ShardedSessionOptions } from "./orm/session/sharded-session.ts";
export { replicaRouting, type ReplicaRoutingOptions, type BindKey, type BindRequest, type GetBind } from "./orm/session/session-binds.ts";
export { getHistory, InstanceInspection, type AttributeHistory, type AttributeInspection } from "./orm/inspection.ts";
export type { RunTransactionOptions } from "./orm/session/run-transaction.ts";
export { asyncSessionmaker, type AsyncSessionmaker } from "./orm/session/async-sessionmaker.ts";
export { listen, remove, contains, listensFor } from "./orm/events/listen.ts";
export type { ListenTarget, EventMapOf, EventNameOf, ListenerOf } from "./orm/events/event-maps.ts";
export type { ListenOptions } from "./shared/listener-registry.ts";
export type { ConnectionEventMap, ExceptionContext, ExecuteOutcome, ReplacedStatement } from "./core/engine/connection-events.ts";
export type { SessionEventMap, FlushContext, SessionTransactionInfo, TransitionListener, BulkOperationContext, AnyResult } from "./orm/session/session-events.ts";
export { OrmExecuteState } from "./orm/session/orm-execute-state.ts";
export type { MapperEventMap, LoadEventContext, PersistenceListener } from "./orm/mapper/mapper-events.ts";
export type { Mapper } from "./orm/mapper/mapper.ts";
export { NO_VALUE, type AttributeEventMap, type AttributeEventToken } from "./orm/mapper/attribute-events.ts";
export { SessionTransaction } from "./orm/session/session-transaction.ts";

// `statement.compile()` and `String(statement)`: statements sit below the compiler and the
// dialects, so this entry, which sees them all, wires them together.
/**
 * SQLAlchemy's one `inspect()`: an engine or connection gives an `Inspector`, whose async methods
 * read the database's schema; a mapped object gives its ORM state.
 *
 * ```ts
 * await inspect(engine).getTableNames();   // ["organizations", "users"]
 * inspect(user).persistent;                // true
 * ```
 */
export function inspect(target: AsyncEngineClass | AsyncConnectionClass): SchemaInspector;
export function inspect(object: object): ObjectInspection;
export function inspect(target: object): SchemaInspector | ObjectInspection {
  return target instanceof AsyncEngineClass || target instanceof AsyncConnectionClass ? inspectDatabase(target) : inspectObject(target);
}

installStatementCompiler(
  statementDisplayCompiler(dialectNamed),
);
