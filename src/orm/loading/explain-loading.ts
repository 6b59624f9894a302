import type { Mapper } from "../mapper/mapper.ts";
import { select as coreSelect } from "../../core/sql/select.ts";
import { type EntityLoad, type QueryPlan, loadedColumns, planEntity } from "./load-plan.ts";
import { loaderStrategy } from "./loader-strategy-table.ts";

/** How one relationship path of a statement loads. */
export interface LoadingStep {
  /** `Organization.users.posts`. */
  readonly path: string;
  readonly strategy: string;
  /** Statements this path adds when the statement runs: a number, or how it grows. */
  readonly statements: string;
  /** What reading the attribute does afterwards, for paths left unloaded. */
  readonly note?: string;
}

/** The loading plan of a statement, without running it. */
export interface LoadingExplanation {
  readonly steps: readonly LoadingStep[];
  /** Statements the query emits at least (its own, plus one per subquery/selectin path with parents). */
  readonly minimumStatements: number;
  /** Whether the result needs `unique()` (joined eager collections). */
  readonly requiresUnique: boolean;
  toString(): string;
}

/**
 * Which strategy each relationship path of an ORM select will use and how many statements it
 * will emit, worked out from its options and the relationships' configuration without running it.
 *
 * ```ts
 * console.log(String(explainLoading(select(Organization).options(selectinload(Organization.users).joinedload(User.posts)))));
 * // Organization            (the statement)              1 statement
 * // Organization.users      selectin                      1 per 500 parents
 * // Organization.users.posts joined                       0 (joined into the users statement)
 * ```
 */
export function explainLoading(statement: { readonly plan: QueryPlan }): LoadingExplanation {
  const plan = statement.plan;
  const steps: LoadingStep[] = [];
  let minimum = 1;
  for (const element of plan.elements) {
    if (element.kind !== "entity") continue;
    steps.push({ path: element.load.mapper.className, strategy: "(the statement)", statements: "1" });
    minimum += describe(element.load, element.load.mapper.className, steps, "the statement");
  }
  return {
    steps,
    minimumStatements: minimum,
    requiresUnique: plan.requireUnique,
    toString() {
      const width = Math.max(...steps.map((s) => s.path.length)) + 2;
      const lines = steps.map((s) => `${s.path.padEnd(width)}${s.strategy.padEnd(18)}${s.statements}${s.note ? `  — ${s.note}` : ""}`);
      return [...lines, `at least ${minimum} statement${minimum === 1 ? "" : "s"}${plan.requireUnique ? "; the result needs unique()" : ""}`].join("\n");
    },
  };
}

/** Adds the steps below `load`; returns the statements they add at least. */
function describe(load: EntityLoad, prefix: string, steps: LoadingStep[], carrier: string): number {
  let minimum = 0;
  const mapper = load.mapper as Mapper;
  for (const joined of load.joined) {
    const path = `${prefix}.${joined.property.key}`;
    steps.push({ path, strategy: joined.strategy.name, statements: joined.strategy.explain(carrier).statements });
    minimum += describe(joined.entity, path, steps, carrier);
  }
  for (const post of load.post) {
    const path = `${prefix}.${post.property.key}`;
    const { statements, addsStatements } = post.strategy.explain(carrier);
    steps.push({ path, strategy: post.strategy.name, statements });
    minimum += addsStatements;
    const target = post.property.join.target as Mapper;
    const child = planEntity(coreSelect(...loadedColumns(target, post.tree).map((c) => c.column)).node, target, 0, post.tree, post.path);
    minimum += describe(child.load, path, steps, `the ${path} statement`);
  }
  for (const property of mapper.relationships) {
    if (load.joined.some((j) => j.property === property) || load.post.some((p) => p.property === property)) continue;
    const override = load.readOverrides.find(([slot]) => slot === property.slot)?.[1];
    const strategy = loaderStrategy(override ?? (load.noloadSlots.includes(property) ? "noload" : property.strategy));
    steps.push({ path: `${prefix}.${property.key}`, strategy: strategy.name, statements: "0", note: strategy.unloadedNote });
  }
  return minimum;
}
