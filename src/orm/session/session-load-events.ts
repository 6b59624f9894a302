import type { LoadEvents } from "../loading/load-rows.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { anyMapperListened, mapperListeners } from "../mapper/mapper-events.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { EventSession } from "./session-events.ts";
import type { SessionEvents } from "./session-events.ts";

/**
 * What a session's loads report their instances to: for each built from a row, the mapper's
 * `load` then the session's `loadedAsPersistent`; for each overwritten (`populateExisting`), the
 * mapper's `refresh` with every attribute. Active only while a session or mapper listener exists.
 */
export function sessionLoadEvents(session: EventSession, events: SessionEvents): LoadEvents {
  return {
    active: () => events.any || anyMapperListened(),
    loaded: (fresh, refreshed) => {
      const context = { session };
      for (const state of fresh) {
        const listeners = mapperListeners(state.mapper as Mapper, "load");
        if (listeners !== undefined) for (const listener of listeners) listener.run(state.object, context);
        events.transition("loadedAsPersistent", state);
      }
      for (const state of refreshed) {
        const listeners = mapperListeners(state.mapper as Mapper, "refresh");
        if (listeners !== undefined) for (const listener of listeners) listener.run(state.object, context, undefined);
      }
    },
  };
}

/** The mapper's `refresh` for the columns in `slots` of `state` (`session.refresh(obj, names)`, an expired attribute's load). */
export function fireRefresh(session: EventSession, state: InstanceState, slots: readonly number[]): void {
  const mapper = state.mapper as Mapper;
  const listeners = mapperListeners(mapper, "refresh");
  if (listeners === undefined) return;
  const names = mapper.columns.filter((c) => slots.includes(c.slot)).map((c) => c.key);
  for (const listener of listeners) listener.run(state.object, { session }, names);
}
