import { DetachedInstanceError, MissingGreenlet } from "../../shared/errors.ts";
import { docsLink } from "../../shared/docs-link.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { ColumnProperty } from "./column-property.ts";
import type { RelationshipProperty } from "./relationship-property.ts";

const DOCS = docsLink("loading.md#missinggreenlet");

/**
 * The error for reading an attribute whose value is not in memory. SQLAlchemy raises a bare
 * "greenlet_spawn has not been called"; ours names the object and attribute, says why the value is
 * missing, and shows the code that fixes it.
 */
export function unloadedAttributeError(
  mapper: { readonly className: string; describe(state: InstanceState): string },
  state: InstanceState,
  property: ColumnProperty | RelationshipProperty,
  /** A relationship read by the lazy strategy (configured, or set by the query's options), rather than one an eager strategy left unloaded. */
  lazy = false,
): Error {
  const where = `${mapper.describe(state)}.${property.key}`;
  const variable = mapper.className.charAt(0).toLowerCase() + mapper.className.slice(1);
  if (state.status === "detached") {
    // SQLAlchemy's three texts: a lazy relationship, an expired column, a deferred column.
    const [subject, operation] =
      property.kind === "relationship"
        ? ["Parent instance", "lazy load"]
        : state.unloadedReason !== undefined
          ? ["Instance", "attribute refresh"]
          : ["Parent instance", "deferred load"];
    const why = state.unloadedReason !== undefined ? ` (it was ${state.unloadedReason})` : "";
    return new DetachedInstanceError(
      `${subject} ${mapper.describe(state)} is not bound to a Session; ${operation} operation of attribute '${property.key}' cannot proceed${why}. ` +
        `Load it before closing the session, or attach the object to a session again with session.merge(${variable}).`,
    );
  }
  const reason =
    state.unloadedReason === "expired by commit"
      ? "it was expired by commit (expireOnCommit is on), so its value must be loaded again"
      : state.unloadedReason !== undefined
        ? `it was ${state.unloadedReason}, so its value must be loaded again`
        : property.kind === "relationship"
          ? lazy
            ? `it is a lazy relationship (lazy="select") that this query did not load`
            : `this query did not load it (configured lazy="${property.strategy}", but a loader option or a cycle in eager loading left it unloaded)`
          : "it is a deferred column that this query did not load";
  const fixes =
    property.kind === "relationship" && state.unloadedReason === undefined
      ? [
          `select(${mapper.className}).options(selectinload(${mapper.className}.${property.key}))   // load it with the query`,
          `relationship(..., { lazy: "selectin" })                       // or always load it eagerly`,
          `await ${variable}.awaitableAttrs.${property.key}                        // or load it now, explicitly`,
        ]
      : property.kind === "column" && state.unloadedReason === undefined
        ? [
            `select(${mapper.className}).options(undefer(${mapper.className}.${property.key}))   // load it with the query`,
            `await session.refresh(${variable}, ["${property.key}"])                 // load it now`,
            `await ${variable}.awaitableAttrs.${property.key}                     // or load this attribute explicitly`,
          ]
        : state.unloadedReason === "expired by commit"
        ? [
            `await session.refresh(${variable})                           // reload it now`,
            `new AsyncSession(engine, { expireOnCommit: false })   // keep values readable after commit`,
            `await ${variable}.awaitableAttrs.${property.key}                     // or load this attribute explicitly`,
          ]
        : [
            `await session.refresh(${variable})                           // reload it now`,
            `await ${variable}.awaitableAttrs.${property.key}                     // or load this attribute explicitly`,
          ];
  return new MissingGreenlet(
    `${where} is not loaded: ${reason}. Loading it needs a query, and a plain property read cannot ` +
      `await one under the async API.\nFix it with one of:\n${fixes.map((f) => `  ${f}`).join("\n")}\n(${DOCS}, code xd2s)`,
  );
}
