import type { AsyncEngine } from "./async-engine.ts";
import type { Engine } from "./engine.ts";

/** Either engine: what the ORM's shared session code holds (an `AsyncSession`'s or a `Session`'s). */
export type AnyEngine = AsyncEngine | Engine;
