import { InvalidRequestError } from "../../shared/errors.ts";
import { type Io, done, io } from "../../shared/io.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import { type PreparedStatement, prepareStatement } from "../../core/engine/prepared-statement.ts";
import type { Dialect } from "../../core/dialects/dialect.ts";
import type { Delete } from "../../core/sql/delete.ts";
import type { DmlTable } from "../../core/sql/dml-table.ts";
import type { Assignment, Node } from "../../core/sql/nodes.ts";
import { Update } from "../../core/sql/update.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { EXPIRED, type Evaluator, UnevaluatableError, compileEvaluator } from "../query/evaluate-criteria.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { SessionConnection } from "./session-connections.ts";
import type { SessionObjects } from "./session-objects.ts";
import { selectNode } from "../../core/sql/select-node.ts";

/** Where a synchronization looks: the session's objects, the dialect, the shard's identity token. */
export interface SyncEnvironment {
  readonly dialect: Dialect;
  readonly identityToken: string | undefined;
  readonly objects: SessionObjects;
}

/** What runs around an ORM UPDATE or DELETE to keep the session's objects consistent with it. */
export interface SyncPlan {
  /**
   * Before the statement: finds (and, for an UPDATE, computes the new values of) the affected
   * objects; may replace the statement (by one returning the primary keys) and read its rows.
   */
  before(conn: SessionConnection): Io<SyncBefore>;
  /** After the statement succeeded: applies the changes; `returned` are the instances its RETURNING built. */
  after(returned: readonly InstanceState[]): void;
}

/** What `SyncPlan.before` gives: the statements to run instead, and who reads their rows. */
interface SyncBefore {
  readonly statements?: readonly PreparedStatement[];
  readonly rowsOf?: (rows: readonly (readonly unknown[])[]) => void;
}

const NOTHING: SyncPlan = { before: () => done({}), after: () => undefined };

/** One attribute an UPDATE sets: its slot, and its new value computed from an object's values (if it can be). */
interface Setter {
  readonly slot: number;
  readonly evaluate: Evaluator | undefined;
}

/** An object an UPDATE matched, with the value each set attribute gets (`EXPIRED`: load it again). */
interface Staged {
  readonly state: InstanceState;
  readonly values: readonly unknown[];
}

/**
 * Plans SQLAlchemy's `synchronize_session` for `update(User).where(…).values(…)` or
 * `delete_(User).where(…)` (docs/orm-dml.md). Pure: an `"evaluate"` whose criteria cannot be
 * evaluated in memory is refused here, before any SQL.
 *
 * - `"evaluate"`: the WHERE clause runs on the mapper's objects in the identity map. A matched
 *   object gets each SET value computed in memory, or has the attribute expired where it cannot
 *   be computed (a function, a client-side onupdate) or holds an unflushed change; a DELETE's
 *   matched objects become deleted (detached at commit). An object whose criteria need an
 *   unloaded attribute is expired (the set attributes, or the whole object for a DELETE).
 * - `"fetch"`: the database says which rows matched: `RETURNING` the primary keys where the
 *   dialect has it for the statement, else a `SELECT` of them first; those objects change as above.
 * - `"auto"` (default): `"evaluate"`, or `"fetch"` when the criteria cannot be evaluated.
 * - `false`: nothing.
 */
export function planSynchronize(
  statement: Update<DmlTable, unknown> | Delete<DmlTable, unknown>,
  params: NamedParams | undefined,
  mapper: Mapper,
  env: SyncEnvironment,
): SyncPlan {
  const requested = statement.extras.executionOptions.synchronizeSession ?? "auto";
  if (requested === false) return NOTHING;
  const setters = statement instanceof Update ? settersOf(statement.node.set, mapper, params) : undefined;
  const matches = requested === "fetch" ? undefined : criteriaEvaluator(statement.node.where, mapper, params, requested === "evaluate");
  const sync = new Synchronizer(mapper, setters, env);
  if (matches !== undefined) {
    return {
      before: () => {
        sync.stage(sync.evaluated(matches));
        return done({});
      },
      after: (returned) => sync.apply(returned),
    };
  }
  const pk = mapper.primaryKey.map((c) => c.column);
  const returns = setters !== undefined ? env.dialect.capabilities.updateReturning : env.dialect.capabilities.deleteReturning;
  if (returns && statement.node.returning.length === 0) {
    // The statement itself returns the primary keys of the rows it changed.
    const node = Object.freeze({ ...statement.node, returning: pk.map((c) => c.node), returningKeys: pk.map((c) => c.key) });
    const prepared = prepareStatement(env.dialect, node, params);
    const identities: unknown[][] = [];
    return {
      before: () =>
        done<SyncBefore>({
          statements: [prepared],
          rowsOf: (rows) => {
            for (const identity of identitiesOf(rows, prepared)) identities.push(identity);
          },
        }),
      after: (returned) => {
        sync.stage(sync.found(identities));
        sync.apply(returned);
      },
    };
  }
  // No RETURNING for this statement (MariaDB's UPDATE), or RETURNING is the user's: SELECT the keys first.
  const query = selectNode({ columns: pk.map((c) => c.node), columnKeys: pk.map((c) => c.key), from: [mapper.table.node], where: statement.node.where });
  const select = prepareStatement(env.dialect, query, params);
  return {
    before: function* (conn) {
      const raw = yield* conn.executeRawIo(select);
      sync.stage(sync.found(identitiesOf(raw.rows, select)));
      return {};
    },
    after: (returned) => sync.apply(returned),
  };
}

function criteriaEvaluator(where: Node | undefined, mapper: Mapper, params: NamedParams | undefined, strict: boolean): Evaluator | undefined {
  if (where === undefined) return () => true;
  try {
    return compileEvaluator(where, mapper, params);
  } catch (error) {
    if (!(error instanceof UnevaluatableError)) throw error;
    if (!strict) return undefined;
    throw new InvalidRequestError(
      `Could not evaluate the current criteria in memory (${error.message}); ` +
        'use .executionOptions({ synchronizeSession: "fetch" }) (or false, to leave the objects in memory as they are)',
    );
  }
}

/** The SET clause's attributes; a value the evaluator cannot compute (a function, an onupdate) is expired instead. */
function settersOf(set: readonly Assignment[], mapper: Mapper, params: NamedParams | undefined): Setter[] {
  const setters: Setter[] = [];
  for (const assignment of set) {
    const property = mapper.columns.find((c) => c.column.name === assignment.column);
    if (property === undefined) continue;
    let evaluate: Evaluator | undefined;
    if (assignment.value.kind !== "column-default") {
      try {
        evaluate = compileEvaluator(assignment.value, mapper, params);
      } catch (error) {
        if (!(error instanceof UnevaluatableError)) throw error;
      }
    }
    setters.push({ slot: property.slot, evaluate });
  }
  return setters;
}

/** The primary key values of returned or selected rows, through the columns' result processors. */
function identitiesOf(rows: readonly (readonly unknown[])[], prepared: PreparedStatement): unknown[][] {
  const processors = prepared.plan.resultProcessors;
  return rows.map((row) =>
    row.map((value, i) => {
      const process = processors[i];
      return process === undefined || value === null ? value : process(value);
    }),
  );
}

/** Finds, stages and applies the changes one ORM UPDATE or DELETE makes to the objects in memory. */
class Synchronizer {
  readonly #mapper: Mapper;
  /** The UPDATE's attributes; `undefined` for a DELETE. */
  readonly #setters: readonly Setter[] | undefined;
  readonly #env: SyncEnvironment;
  #matched: Staged[] = [];
  #partial: InstanceState[] = [];

  constructor(mapper: Mapper, setters: readonly Setter[] | undefined, env: SyncEnvironment) {
    this.#mapper = mapper;
    this.#setters = setters;
    this.#env = env;
  }

  /** The mapper's objects the criteria match in memory, and those whose criteria need an unloaded attribute. */
  evaluated(matches: Evaluator): { matched: InstanceState[]; partial: InstanceState[] } {
    const matched: InstanceState[] = [];
    const partial: InstanceState[] = [];
    for (const state of this.#env.objects.identityMap.states()) {
      if (state.mapper !== this.#mapper || state.identityToken !== this.#env.identityToken) continue;
      // A wholly expired object reloads everything when next read: nothing to keep in step.
      if (this.#mapper.columns.every((c) => state.valueAt(c.slot) === UNLOADED)) continue;
      const result = matches(state.slots());
      if (result === true) matched.push(state);
      else if (result === EXPIRED) partial.push(state);
    }
    return { matched, partial };
  }

  /** The objects in the identity map with these primary keys (rows the database said matched). */
  found(identities: readonly (readonly unknown[])[]): { matched: InstanceState[]; partial: InstanceState[] } {
    const matched: InstanceState[] = [];
    for (const identity of identities) {
      const state = this.#env.objects.identityMap.find(this.#mapper, identity, this.#env.identityToken);
      if (state !== undefined) matched.push(state);
    }
    return { matched, partial: [] };
  }

  /** Computes the new values now, from the values the objects hold before the statement runs. */
  stage({ matched, partial }: { matched: readonly InstanceState[]; partial: readonly InstanceState[] }): void {
    const setters = this.#setters ?? [];
    this.#matched = matched.map((state) => {
      // One copy of the row per object (slots() copies), read by every setter.
      const row = state.slots();
      return { state, values: setters.map((s) => (s.evaluate === undefined ? EXPIRED : s.evaluate(row))) };
    });
    this.#partial = [...partial];
  }

  apply(returned: readonly InstanceState[]): void {
    const map = this.#env.objects.identityMap;
    if (this.#setters === undefined) {
      const deleted = new Set([...this.#matched.map((m) => m.state), ...returned.filter((s) => s.mapper === this.#mapper)]);
      this.#env.objects.flushed([], [...deleted].filter((s) => s.owner === map));
      for (const state of this.#partial) this.#expire(state, undefined);
      return;
    }
    // Instances the UPDATE's RETURNING built hold the database's new values already.
    const fresh = new Set(returned);
    for (const { state, values } of this.#matched) {
      if (state.owner !== map || fresh.has(state)) continue;
      const expire: number[] = [];
      this.#setters.forEach((setter, i) => {
        const slot = setter.slot;
        if (state.valueAt(slot) === UNLOADED) return;
        const value = values[i];
        // An attribute with an unflushed change is expired rather than overwritten (as SQLAlchemy).
        if (value === EXPIRED || state.committed?.has(slot)) expire.push(slot);
        else state.storeAt(slot, value);
      });
      this.#expire(state, expire);
    }
    for (const state of this.#partial) this.#expire(state, this.#setters.map((s) => s.slot));
  }

  /** Expires some slots of `state` (all, for `undefined`), keeping the map's modified set right. */
  #expire(state: InstanceState, slots: readonly number[] | undefined): void {
    const map = this.#env.objects.identityMap;
    if (state.owner !== map) return;
    if (slots === undefined) state.expireAll("expired");
    else if (slots.length > 0) state.expireSlots(slots, "expired");
    if (!state.modified) map.clearModified(state);
  }
}
