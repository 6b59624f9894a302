import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import { type ColumnElement, booleanElement } from "../../core/sql/column-element.ts";
import { type Expression, coerceToClause } from "../../core/sql/coercions.ts";
import { and, withNegation } from "../../core/sql/elements.ts";
import type { FromClause } from "../../core/sql/from-clause.ts";
import { JOIN_TARGET, type JoinStep } from "../../core/sql/join-target.ts";
import type { Node } from "../../core/sql/nodes.ts";
import type { Mapper } from "./mapper.ts";
import { aliasedEntityOf } from "./entity-alias.ts";
import { type Inheritance, discriminatorCriterion, isA } from "./inheritance.ts";
import type { ColumnProperty } from "./column-property.ts";
import { mapperOfClass } from "./registry.ts";
import { pairsCondition } from "./join-columns.ts";
import type { RelationshipProperty } from "./relationship-property.ts";
import {
  type RelationshipSide,
  compareToInstance,
  criterionExists,
  differsFromInstance,
  foreignKeyIsNull,
  primaryKeyExists,
  targetState,
} from "./relationship-comparison.ts";

/** How an attribute was narrowed: read from an aliased entity, `ofType()`, `and()`. */
interface Adaptation {
  /** The alias of the parent the attribute was read from (`Manager.reports`). */
  readonly parentAlias?: FromClause;
  /** `ofType(Manager)`: the alias of the target the relationship leads to. */
  readonly targetAlias?: FromClause;
  /** `and(...)`: criteria added to the join condition. */
  readonly criteria?: readonly Expression<boolean>[];
  /** `ofType(Manager)` with a subclass of the target: the join reaches the subclass's rows and tables. */
  readonly subclass?: Mapper;
}

/**
 * A relationship as a class attribute (`User.organization`): what loader options and joins take,
 * and SQLAlchemy's relationship comparators (`any()`, `has()`, `contains()`, `eq()`, `ne()`).
 * Typed through `RelationshipAttributeType` on the model's static side.
 */
export class RelationshipAttribute {
  readonly kind = "relationship-attribute";
  readonly parent: Mapper;
  readonly property: RelationshipProperty;
  /** The alias of the parent this attribute was read from (`Manager.reports`), if any. */
  readonly parentAlias: FromClause | undefined;
  /** The alias of the target named by `ofType()`, if any. */
  readonly targetAlias: FromClause | undefined;
  /** Criteria added by `and()`: part of the ON clause when the attribute is joined. */
  readonly criteria: readonly Expression<boolean>[];
  /** The subclass of the target named by `ofType()`, if any. */
  readonly subclass: Mapper | undefined;

  constructor(parent: Mapper, property: RelationshipProperty, adaptation: Adaptation = {}) {
    this.parent = parent;
    this.property = property;
    this.parentAlias = adaptation.parentAlias;
    this.targetAlias = adaptation.targetAlias;
    this.criteria = adaptation.criteria ?? [];
    this.subclass = adaptation.subclass;
    Object.freeze(this);
  }

  get key(): string {
    return this.property.key;
  }

  /**
   * The relationship with criteria added to its join condition (SQLAlchemy's `and_()`): joined,
   * they go into the ON clause (a many-to-many's second ON, the target's); in a loader option
   * (`selectinload(User.posts.and(…))`) they narrow what that load selects.
   *
   * ```ts
   * select(User).join(User.posts.and(Post.published.eq(true)))
   * // … FROM users JOIN posts ON posts.user_id = users.id AND posts.published = ?
   * ```
   */
  and(...criteria: readonly Expression<boolean>[]): RelationshipAttribute {
    criteria.forEach((c) => coerceToClause(c, `${this}.and()`));
    return this.#adapted({ criteria: [...this.criteria, ...criteria] });
  }

  /**
   * The relationship leading to an alias of its target (SQLAlchemy's `of_type()`): a join along it
   * joins the alias, and `any()` / `has()` criteria are written against the alias.
   *
   * ```ts
   * const Manager = aliased(User, { name: "manager" });
   * select(User).join(User.manager.ofType(Manager)).where(Manager.name.eq("ann"))
   * // … FROM users JOIN users AS manager ON manager.id = users.manager_id WHERE manager.name = ?
   * ```
   */
  ofType(entity: unknown): RelationshipAttribute {
    const aliased = aliasedEntityOf(entity);
    const target = this.property.join.target as Mapper;
    if (aliased === undefined) {
      if (entity === target.modelClass) return this;
      const sub = mapperOfClass(entity);
      if (sub !== undefined && sub !== target && isA(sub, target) && !this.property.join.secondary) {
        sub.ensureRegistered(entity as abstract new (...args: never[]) => object);
        return this.#adapted({ subclass: sub });
      }
      throw new ArgumentError(`${this}.ofType() takes an aliased ${target.className} (aliased(${target.className}))`);
    }
    if (aliased.mapper !== target) {
      throw new ArgumentError(`${this}.ofType(): ${this} relates to ${target.className}, not to ${aliased.mapper.className}`);
    }
    return this.#adapted({ targetAlias: aliased.alias });
  }

  /**
   * A collection has a member matching `criterion` (or any member, without one):
   * `EXISTS (SELECT 1 FROM posts WHERE users.id = posts.user_id AND <criterion>)`, correlated
   * to the enclosing query. `not(User.posts.any())` finds parents with an empty collection.
   */
  any(criterion?: Expression<boolean>): ColumnElement<boolean> {
    if (!this.property.join.uselist) throw new InvalidRequestError(`'any()' not implemented for scalar attributes. Use has(): ${this}.has(...)`);
    return criterionExists(this.#side(), this.#criterion(criterion, "any()"));
  }

  /**
   * A scalar reference's target matches `criterion` (or exists, without one):
   * `EXISTS (SELECT 1 FROM users WHERE users.id = posts.user_id AND <criterion>)`.
   */
  has(criterion?: Expression<boolean>): ColumnElement<boolean> {
    if (this.property.join.uselist) throw new InvalidRequestError(`'has()' not implemented for collections. Use any(): ${this}.any(...)`);
    return criterionExists(this.#side(), this.#criterion(criterion, "has()"));
  }

  /**
   * A collection holds `item`: the join condition with the item's values bound
   * (`User.posts.contains(post)` → `users.id = ?`, the post's `user_id`). A many-to-many joins an
   * alias of its association table into the enclosing query's FROM list, and its negation
   * (`not(...)`) is `NOT EXISTS (…)`.
   */
  contains(item: unknown): ColumnElement<boolean> {
    if (!this.property.join.uselist) throw new InvalidRequestError(`'contains' not implemented for scalar attributes. Use eq(): ${this}.eq(...)`);
    const side = this.#side();
    const clause = compareToInstance(side, item);
    if (!this.property.join.secondary) return clause;
    const negation = primaryKeyExists(side, targetState(this.property, item));
    return withNegation(clause, notOf(negation));
  }

  /**
   * Compares a scalar reference with an object: `Post.author.eq(user)` → `? = posts.user_id`.
   * With `null`: a many-to-one tests its foreign key (`posts.user_id IS NULL`); a collection
   * tests that it is empty (`NOT EXISTS (…)`).
   */
  eq(other: unknown): ColumnElement<boolean> {
    const side = this.#side();
    if (other === null || other === undefined) {
      return this.property.join.direction === "many-to-one" ? foreignKeyIsNull(side, false) : notOf(criterionExists(side));
    }
    this.#refuseCollection();
    return compareToInstance(side, other);
  }

  /**
   * The negation of `eq()`: `Post.author.ne(user)` → `posts.user_id <> ? OR posts.user_id IS NULL`;
   * `ne(null)`: `posts.user_id IS NOT NULL`, or for a collection `EXISTS (…)`.
   */
  ne(other: unknown): ColumnElement<boolean> {
    const side = this.#side();
    if (other === null || other === undefined) {
      return this.property.join.direction === "many-to-one" ? foreignKeyIsNull(side, true) : criterionExists(side);
    }
    this.#refuseCollection();
    return differsFromInstance(side, other);
  }

  /**
   * As a join target (`select(...).join(User.posts)`): the target table ON the relationship's
   * columns, from the parent's table; a many-to-many goes through its association table. The
   * parent and target are aliases where the attribute was read from an aliased entity, or named
   * one with `ofType()` (or `toward`: `join(Manager, User.manager)`); `and()` criteria join the
   * last ON clause.
   */
  [JOIN_TARGET](toward?: FromClause): readonly JoinStep[] {
    const join = this.property.join;
    const targetTable = (join.target as Mapper).table;
    const target = toward ?? this.targetAlias ?? targetTable;
    if (toward !== undefined && toward.node !== targetTable.node && !(toward.node.kind === "alias" && toward.node.element === targetTable.node)) {
      throw new ArgumentError(`join(): ${this} leads to ${(join.target as Mapper).className}'s table "${targetTable.name}", so the join target must be it or an alias of it`);
    }
    const from = this.parentAlias ?? this.parent.table;
    const withCriteria = (on: ColumnElement<boolean>) => (this.criteria.length === 0 ? on : and(on, ...this.criteria));
    const parentSpans = this.parentAlias === undefined && spansTables(this.parent);
    const plainTarget = toward === undefined && this.targetAlias === undefined;
    if (!join.secondary && plainTarget && (this.subclass !== undefined || spansTables(join.target as Mapper) || parentSpans)) {
      return this.#subclassSteps(this.subclass ?? (join.target as Mapper), from, withCriteria, parentSpans);
    }
    if (!join.secondary) return [{ target, on: withCriteria(pairsCondition(join.pairs, from.node, target.node)), from }];
    return [
      { target: join.secondary.table, on: pairsCondition(join.pairs, from.node), from },
      { target, on: withCriteria(pairsCondition(join.secondary.targetPairs, undefined, target.node)) },
    ];
  }

  /**
   * A join to a class of an inheritance hierarchy (`ofType(Subclass)`, or a target whose rows span
   * tables): the table holding the relationship's columns ON it (with a single-table subclass's
   * discriminator values), then each other table of the class ON the key.
   */
  #subclassSteps(
    sub: Mapper,
    from: FromClause,
    withCriteria: (on: ColumnElement<boolean>) => ColumnElement<boolean>,
    parentSpans: boolean,
  ): JoinStep[] {
    const pairs = this.property.join.pairs;
    const tables = sub.inheritance?.tables ?? [sub.table];
    const remoteOwner = pairs[0]?.remote.node.owner;
    const first = tables.find((t) => t.node === remoteOwner) ?? sub.table;
    const condition = pairsCondition(pairs, parentSpans ? undefined : from.node, undefined);
    const discriminator = discriminatorCriterion(sub);
    const on = discriminator === undefined ? condition : and(condition, booleanElement(discriminator));
    const steps: JoinStep[] = [{ target: first, on: withCriteria(on), from }];
    for (const table of tables) {
      if (table === first) continue;
      const keys = ((sub.inheritance as Inheritance).tableColumns.get(table) ?? []).filter((c) => c.column.primaryKey);
      steps.push({ target: table, on: and(...keys.map((k, i) => (sub.primaryKey[i] as ColumnProperty).column.eq(k.column as never))) });
    }
    return steps;
  }

  toString(): string {
    return `${this.parent.className}.${this.property.key}`;
  }

  #adapted(changes: Adaptation): RelationshipAttribute {
    return new RelationshipAttribute(this.parent, this.property, {
      parentAlias: this.parentAlias,
      targetAlias: this.targetAlias,
      criteria: this.criteria,
      ...(this.subclass === undefined ? {} : { subclass: this.subclass }),
      ...changes,
    });
  }

  #side(): RelationshipSide {
    return {
      property: this.property,
      parentOwner: (this.parentAlias ?? this.parent.table).node,
      targetOwner: this.targetAlias?.node,
      criteria: this.criteria.map((c) => c.node),
    };
  }

  #criterion(criterion: Expression<boolean> | undefined, where: string): Node | undefined {
    return criterion === undefined ? undefined : coerceToClause(criterion, `${this}.${where}`);
  }

  #refuseCollection(): void {
    if (this.property.join.uselist) {
      throw new InvalidRequestError(`Can't compare a collection to an object or collection; use contains() to test for membership: ${this}.contains(...)`);
    }
  }
}

/** `NOT clause`, whose own negation is `clause` again. */
function notOf(clause: ColumnElement<boolean>): ColumnElement<boolean> {
  return withNegation(booleanElement({ kind: "unary", operator: "NOT", operand: clause.node }), clause);
}

/** Whether rows of `mapper` span several tables (a joined-table subclass). */
function spansTables(mapper: Mapper): boolean {
  return mapper.inheritance !== undefined && mapper.inheritance.tables.length > 1;
}
