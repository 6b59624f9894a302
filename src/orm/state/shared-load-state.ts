import type { StateMapper, StateOwner, Status } from "./instance-state.ts";

/**
 * What the untouched rows of one load have in common, held by each of them in place of an
 * `InstanceState` of its own (ADR 0016 stage 3): their mapper, their session (`owner`), their
 * status and the loader options they were loaded with. A loaded row that is only read never needs
 * more; W1's 10,000 users retained 80 bytes each for the state they never used.
 *
 * `stateOf(object)` makes the instance's own state from this on first need (a change, an expiry,
 * an unloaded read, an event) and puts it on the instance, where it stays. The session that made
 * it changes `status` and `owner` once for all its rows when it closes.
 */
export class SharedLoadState {
  readonly mapper: StateMapper;
  status: Status = "persistent";
  owner: StateOwner | undefined;
  readonly loadOptions: unknown;

  constructor(mapper: StateMapper, owner: StateOwner, loadOptions: unknown) {
    this.mapper = mapper;
    this.owner = owner;
    this.loadOptions = loadOptions;
  }
}
