import { StrictLoadingError } from "../../shared/errors.ts";

/** What `strictLoading` does when a lazy read is answered only because the target was in memory. */
export type StrictLoadingMode = "off" | "warn" | "raise";

/**
 * The check behind `strictLoading`: the seed post's trap is a read that works for user 2 (its
 * organization happened to be in the identity map) and fails for user 100. With "warn" or
 * "raise", the lucky read is reported, naming the attribute and the option that loads it.
 */
export function checkStrictLoading(mode: StrictLoadingMode, described: string, path: string): void {
  if (mode === "off") return;
  const key = path.split(".")[1] as string;
  report(
    mode,
    path,
    `${described}.${key} was read without SQL only because its target was already in the session's identity map; ` +
      "on other data the same read raises MissingGreenlet.",
  );
}

/**
 * `strictLoading` under the synchronous Session, where a read of an unloaded relationship loads
 * it: the read is refused ("raise") or reported ("warn") before its lazy SELECT runs, since one
 * SELECT per object read in a loop is the N+1 the option is there to catch.
 */
export function checkStrictLoadingOnRead(mode: StrictLoadingMode, described: string, path: string): void {
  if (mode === "off") return;
  const key = path.split(".")[1] as string;
  report(mode, path, `${described}.${key} is not loaded, and reading it would run a lazy SELECT (one per object read, N+1 in a loop).`);
}

function report(mode: "warn" | "raise", path: string, what: string): void {
  const className = path.split(".")[0] as string;
  const message =
    `${what} Load it with the query: ` +
    `select(${className}).options(selectinload(${path})) or joinedload(${path}), or set relationship(..., { lazy: "selectin" }). ` +
    `(strictLoading: "${mode}")`;
  if (mode === "raise") throw new StrictLoadingError(message);
  process.emitWarning(message, { type: "StrictLoadingWarning", code: "TSALCHEMY_STRICT_LOADING" });
}
