import { ArgumentError } from "../../shared/errors.ts";
import type { ForeignKeyConstraint } from "./constraints.ts";
import type { Table } from "./table.ts";

/** What `createAll`/`dropAll` need from a connection: it compiles and runs the DDL for its dialect. */
export interface DdlRunner {
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void>;
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void>;
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
  readonly #tables = new Map<string, Table>();

  constructor(options: { schema?: string } = {}) {
    this.schema = options.schema;
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
   * Topological order by foreign key, with ties kept in declaration order. Foreign keys in a
   * cycle are set aside (created by ALTER TABLE afterwards) so that the rest can be ordered.
   */
  creationOrder(tables: readonly Table[] = [...this.#tables.values()]): CreationOrder {
    const included = new Set(tables);
    const deferred = new Set<ForeignKeyConstraint>();
    for (const table of tables) for (const fk of table.foreignKeys) if (fk.useAlter) deferred.add(fk);
    for (;;) {
      const { order, stuck } = this.#kahn(tables, included, deferred);
      if (stuck.length === 0) return { tables: order, deferredForeignKeys: deferred };
      // Break the cycle at the foreign keys among the tables that could not be placed.
      const stuckSet = new Set(stuck);
      for (const table of stuck) {
        for (const fk of table.foreignKeys) {
          const target = this.referencedTable(fk);
          if (target !== table && stuckSet.has(target)) deferred.add(fk);
        }
      }
    }
  }

  #kahn(tables: readonly Table[], included: Set<Table>, deferred: Set<ForeignKeyConstraint>) {
    const placed = new Set<Table>();
    const order: Table[] = [];
    let progress = true;
    while (progress) {
      progress = false;
      for (const table of tables) {
        if (placed.has(table)) continue;
        const ready = table.foreignKeys.every((fk) => {
          if (deferred.has(fk)) return true;
          const target = this.referencedTable(fk);
          return target === table || !included.has(target) || placed.has(target);
        });
        if (ready) {
          placed.add(table);
          order.push(table);
          progress = true;
        }
      }
    }
    return { order, stuck: tables.filter((t) => !placed.has(t)) };
  }

  /** Creates every table (and index) that does not exist yet, parents first. */
  async createAll(conn: DdlRunner, options: { checkfirst?: boolean } = {}): Promise<void> {
    await conn.createTables([...this.#tables.values()], { checkfirst: options.checkfirst ?? true });
  }

  /** Drops every table that exists, children first. */
  async dropAll(conn: DdlRunner, options: { checkfirst?: boolean } = {}): Promise<void> {
    await conn.dropTables([...this.#tables.values()], { checkfirst: options.checkfirst ?? true });
  }
}
