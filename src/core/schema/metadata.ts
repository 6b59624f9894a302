import { ArgumentError } from "../../shared/errors.ts";
import type { ForeignKeyConstraint } from "./constraints.ts";
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from "./naming-convention.ts";
import type { Table } from "./table.ts";
import type { ReflectOptions, TableReflector } from "./table-reflector.ts";

/**
 * What `createAll`/`dropAll` need from a connection (or the synchronous `Engine`): it compiles and
 * runs the DDL for its dialect.
 */
export type DdlRunner = AsyncDdlRunner | SyncDdlRunner;

/** An `AsyncConnection`: `createAll`/`dropAll` return its promise. */
export interface AsyncDdlRunner {
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void>;
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void>;
}

/** The synchronous `Connection` or `Engine` (better-sqlite3): `createAll`/`dropAll` return when done. */
export interface SyncDdlRunner {
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): void;
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): void;
}

/** The tables in creation order, and the foreign keys that must be added by ALTER after them. */
export interface CreationOrder {
  readonly tables: readonly Table[];
  /** Foreign keys inside a cycle between tables (or marked `useAlter`): created after all tables. */
  readonly deferredForeignKeys: ReadonlySet<ForeignKeyConstraint>;
}

/**
 * A collection of tables, and the unit of `createAll` / `dropAll`.
 *
 * ```ts
 * await metadata.createAll(conn);  // CREATE TABLE … for each table, parents before children
 * await metadata.dropAll(conn);    // DROP TABLE … children first
 * ```
 */
export class MetaData {
  readonly schema: string | undefined;
  /**
   * How the tables' unnamed constraints and indexes are named. A given convention replaces the
   * default (`{ ix: "ix_%(column_0_label)s" }`) whole, as in SQLAlchemy: keep `ix` in it for
   * `index: true` columns to stay named.
   */
  readonly namingConvention: NamingConvention;
  readonly #tables = new Map<string, Table>();

  /**
   * ```ts
   * new MetaData({ schema: "app", namingConvention: { ix: "ix_%(column_0_label)s", uq: "uq_%(table_name)s_%(column_0_N_name)s" } })
   * ```
   */
  constructor(options: { schema?: string; namingConvention?: NamingConvention } = {}) {
    this.schema = options.schema;
    this.namingConvention = Object.freeze({ ...(options.namingConvention ?? DEFAULT_NAMING_CONVENTION) });
  }

  /** The tables by full name, in the order they were declared. */
  get tables(): ReadonlyMap<string, Table> {
    return this.#tables;
  }

  /** @internal Called by the `Table` constructor. */
  register(table: Table): void {
    if (this.#tables.has(table.fullName)) {
      throw new ArgumentError(`Table "${table.fullName}" is already defined in this MetaData`);
    }
    this.#tables.set(table.fullName, table);
  }

  /** The table a foreign key points at, or an error naming it. */
  referencedTable(fk: ForeignKeyConstraint): Table {
    const target = this.#tables.get(fk.targetTable) ?? this.#tables.get(`${this.schema}.${fk.targetTable}`);
    if (!target) throw new ArgumentError(`Foreign key to "${fk.targets.join(", ")}": no table "${fk.targetTable}" in this MetaData`);
    return target;
  }

  /** Tables ordered so that each comes after the tables it references (`sorted_tables`). */
  get sortedTables(): readonly Table[] {
    return this.creationOrder().tables;
  }

  /**
   * Topological order by foreign key, ties kept in declaration order. Foreign keys between tables
   * of one cycle (one strongly connected component of the reference graph) are set aside, to be
   * created by ALTER TABLE afterwards; every other foreign key orders its tables.
   */
  creationOrder(tables: readonly Table[] = [...this.#tables.values()]): CreationOrder {
    const included = new Set(tables);
    const targetOf = (fk: ForeignKeyConstraint): Table | undefined => {
      const target = this.referencedTable(fk);
      return included.has(target) ? target : undefined;
    };
    const component = stronglyConnectedComponents(tables, (t) =>
      t.foreignKeys.map(targetOf).filter((x): x is Table => x !== undefined && x !== t),
    );
    const deferred = new Set<ForeignKeyConstraint>();
    for (const table of tables) {
      for (const fk of table.foreignKeys) {
        const target = targetOf(fk);
        if (fk.useAlter || (target && target !== table && component.get(target) === component.get(table))) deferred.add(fk);
      }
    }
    const placed = new Set<Table>();
    const order: Table[] = [];
    while (order.length < tables.length) {
      const next = tables.find(
        (t) =>
          !placed.has(t) &&
          t.foreignKeys.every((fk) => {
            const target = targetOf(fk);
            return deferred.has(fk) || target === undefined || target === t || placed.has(target);
          }),
      ) as Table;
      placed.add(next);
      order.push(next);
    }
    return { tables: order, deferredForeignKeys: deferred };
  }

  /**
   * Creates every table (and index) that does not exist yet, parents first: `await
   * metadata.createAll(conn)` on an `AsyncConnection`, `metadata.createAll(engine)` (or a
   * `Connection`) on the synchronous engine.
   */
  createAll(conn: AsyncDdlRunner, options?: { checkfirst?: boolean }): Promise<void>;
  createAll(conn: SyncDdlRunner, options?: { checkfirst?: boolean }): void;
  createAll(conn: DdlRunner, options: { checkfirst?: boolean } = {}): Promise<void> | void {
    return conn.createTables([...this.#tables.values()], { checkfirst: options.checkfirst ?? true });
  }

  /**
   * Reads tables from the database into this `MetaData` (SQLAlchemy's `metadata.reflect()`):
   * every table of the schema, or `only` those (with the tables their foreign keys refer to).
   * Tables already here are kept as they are.
   *
   * ```ts
   * const metadata = new MetaData();
   * await metadata.reflect(inspect(engine), { only: ["users"] });
   * const users = metadata.tables.get("users")!;
   * await session.execute(select(users).where(users.c.name.eq("ann")));
   * ```
   */
  async reflect(source: TableReflector, options: ReflectOptions = {}): Promise<void> {
    await source.reflectInto(this, options);
  }

  /** Drops every table that exists, children first (awaited on an `AsyncConnection`, as `createAll`). */
  dropAll(conn: AsyncDdlRunner, options?: { checkfirst?: boolean }): Promise<void>;
  dropAll(conn: SyncDdlRunner, options?: { checkfirst?: boolean }): void;
  dropAll(conn: DdlRunner, options: { checkfirst?: boolean } = {}): Promise<void> | void {
    return conn.dropTables([...this.#tables.values()], { checkfirst: options.checkfirst ?? true });
  }
}

/** Tarjan's algorithm: each node's component id; nodes on one cycle share an id. */
function stronglyConnectedComponents<T>(nodes: readonly T[], edges: (node: T) => readonly T[]): Map<T, number> {
  const index = new Map<T, number>();
  const low = new Map<T, number>();
  const component = new Map<T, number>();
  const stack: T[] = [];
  let counter = 0;
  let components = 0;
  const visit = (node: T): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    for (const next of edges(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (!component.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: T;
      do {
        member = stack.pop() as T;
        component.set(member, components);
      } while (member !== node);
      components++;
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return component;
}
