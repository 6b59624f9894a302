/**
 * How a session loads one attribute of one object on demand (`obj.awaitableAttrs.key`, which the
 * identity map forwards here): an expired or deferred column by a refresh of the expired columns,
 * a relationship as its loader strategy says. Apart from AsyncSession because it is reached from
 * the instances, not from a session method, and holds the strategy's side of the session.
 */

import { ObjectDeletedError } from "../../shared/errors.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import { targetWithoutSql } from "../mapper/lazy-read.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { loadRelationship, loadsWithCriteria } from "../strategies/load-relationship.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import { type FlushHost, flushSession } from "./flush-session.ts";
import { loadByIdentity } from "./get-by-identity.ts";
import { loadColumns } from "./load-columns.ts";
import { fireRefresh } from "./session-load-events.ts";
import { runAsync } from "../../shared/io.ts";

/** What loading an attribute needs from the session, besides its flush: its operation guard. */
export interface AttributeLoadHost extends FlushHost {
  /** Runs `work` as one of the session's operations (refusing a concurrent one). */
  run<T>(method: string, work: () => Promise<T>): Promise<T>;
}

/** `obj.awaitableAttrs.key`: a column by refresh; a relationship by its lazy statement, autoflushing first. */
export async function loadAttribute(host: AttributeLoadHost, state: InstanceState, key: string): Promise<unknown> {
  const mapper = state.mapper as Mapper;
  const property = mapper.property(key);
  const { session, identityMap } = host;
  if (property?.kind === "column") {
    // A column deferred with raiseload: the read raises (SQLAlchemy's awaitable_attrs does the same read).
    if (state.readOverrides?.has(property.slot)) return (state.object as Record<string, unknown>)[key];
    // As SQLAlchemy's expired-attribute loader: every expired column comes back in one SELECT.
    return host.run("load", async () => {
      if (!state.hasIdentity || state.owner !== identityMap) return (state.object as Record<string, unknown>)[key];
      if (session.autoflush) await flushSession(host);
      const tree = state.loadOptions as LoadTree | undefined;
      if (tree !== undefined && !tree.isEmpty && state.unloadedReason !== undefined && !property.deferred) {
        // An expired object loaded with options: reloaded with them, filling what is unloaded
        // (its eager relationships too), as SQLAlchemy's load of expired attributes does.
        const found = await loadByIdentity(host, mapper, state.identity ?? [], { populateExisting: false, tree }, state.identityToken);
        if (found === undefined) throw new ObjectDeletedError(`Instance '${mapper.describe(state)}' has been deleted, or its row is otherwise not present.`);
        return state.values[property.slot];
      }
      const slots = mapper.columns.filter((c) => c.slot === property.slot || (!c.deferred && state.values[c.slot] === UNLOADED)).map((c) => c.slot);
      if (state.values[property.slot] === UNLOADED) {
        await loadColumns(state, slots, false, await host.router.connectionOfState(state, true), identityMap, "expired attribute");
        fireRefresh(session, state, slots);
      }
      return state.values[property.slot];
    });
  }
  const relationship = property as RelationshipProperty;
  // The strategy the object was loaded with (a query's option), else the configured one, says what awaiting does.
  const strategy = LOADER_STRATEGIES[state.readOverrides?.get(relationship.slot) ?? relationship.strategy];
  return strategy.loadAwaited(state, relationship, {
    read: () => (state.object as Record<string, unknown>)[key],
    operation: (work) =>
      host.run("load", async () => {
        if (session.autoflush) await flushSession(host);
        return work();
      }),
    inMemory: () => {
      // With criteria the load selects, whatever the identity map holds (SQLAlchemy turns use_get off).
      const known = loadsWithCriteria(state, relationship)
        ? UNLOADED
        : targetWithoutSql(state, relationship, (m, identity) => identityMap.find(m, identity, state.identityToken));
      if (known !== UNLOADED) state.values[relationship.slot] = known;
      return known;
    },
    select: async () => {
      const value = await runAsync(loadRelationship(state, relationship, host.router.contextOf(state.identityToken)));
      host.nPlusOne?.record(relationship.path);
      return value;
    },
  });
}
