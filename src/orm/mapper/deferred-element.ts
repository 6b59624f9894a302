import type { ColumnElement } from "../../core/sql/column-element.ts";

/**
 * Makes `element`'s `node` and `type` come from `resolve()`, run once at first use: a class-level
 * attribute is an expression built from the model class, which is complete only after the class
 * body has run (and its registration has fixed `Model.name`).
 */
export function resolveLater<T>(element: ColumnElement<T>, resolve: () => ColumnElement<T>): void {
  let resolved: ColumnElement<T> | undefined;
  const get = (): ColumnElement<T> => (resolved ??= resolve());
  Object.defineProperty(element, "node", { configurable: true, get: () => get().node });
  Object.defineProperty(element, "type", { configurable: true, get: () => get().type });
}
