import { InvalidRequestError } from "../../shared/errors.ts";
import { ColumnElement } from "../../core/sql/column-element.ts";
import { AttributeBinding, type AttributeOwner, CLASS_ATTRIBUTE, type ClassAttribute } from "../mapper/class-attribute.ts";
import { resolveLater } from "../mapper/deferred-element.ts";
import { replaceOwnerDeep } from "../mapper/replace-owner.ts";
import type { FromNode } from "../../core/sql/nodes.ts";
import { EXPRESSION_PARENT, type MAPPED_EXPRESSION, type MappedExpressionRef } from "../mapper/mapped-expression-ref.ts";
import type { Table } from "../../core/schema/table.ts";
import { slotGetter } from "../state/slot-getter.ts";

/** Options of `columnProperty()`. */
export interface ColumnPropertyOptions {
  /** Leave it out of the entity's SELECT until `undefer()` asks for it (SQLAlchemy's `deferred`). */
  readonly deferred?: boolean;
}

/**
 * An SQL expression mapped as an attribute (SQLAlchemy's `column_property`): the entity's SELECT
 * loads it with the columns, instances hold its value (read-only), and at class level it is the
 * expression, for WHERE, ORDER BY and select lists. Declare it as a static field, and its
 * instance type with `declare` (`number | NotLoaded<number>` when deferred):
 *
 * ```ts
 * class Author extends Base.model("authors", { id: mappedColumn(Integer, { primaryKey: true }), … }) {
 *   declare readonly postCount: number;
 *   static readonly postCount = columnProperty(() =>
 *     select(func.count()).where(Post.authorId.eq(Author.id)).scalarSubquery(),
 *   );
 * }
 * select(Author).where(Author.postCount.gt(1))
 * // SELECT "authors"."id", …, (SELECT count(*) AS "count" FROM "posts"
 * //   WHERE "posts"."author_id" = "authors"."id") AS "postCount"
 * // FROM "authors" WHERE (SELECT count(*) …) > ?
 * ```
 *
 * The expression is built at first use, so it may name models defined after this one. A scalar
 * subquery left to auto-correlation correlates to the model's table only (what SQLAlchemy users
 * spell `correlate_except(Post)`), so it stays correct in a query that also selects from its
 * other tables (`select(Post).options(joinedload(Post.author))`). On an alias of the model (an
 * aliased entity, a joined eager load) it correlates to the alias.
 */
export function columnProperty<T>(expression: () => ColumnElement<T>, options: ColumnPropertyOptions = {}): ColumnPropertyAttribute<T> {
  return new ColumnPropertyAttribute(expression, options.deferred ?? false);
}

/** The class-level side of a `columnProperty()`: its SQL expression (see there). */
export class ColumnPropertyAttribute<T> extends ColumnElement<T> implements ClassAttribute, MappedExpressionRef {
  readonly [CLASS_ATTRIBUTE] = true as const;
  declare readonly [MAPPED_EXPRESSION]: true;
  readonly #binding = new AttributeBinding("columnProperty");
  readonly #deferred: boolean;

  constructor(expression: () => ColumnElement<T>, deferred: boolean) {
    super(undefined as never, undefined as never);
    this.#deferred = deferred;
    resolveLater<T>(this, () => correlatedToOwnTable(expression(), this.#binding.owner.mapper.table.node));
  }

  override get rowKey(): string {
    return this.#binding.owner.key;
  }

  /** @internal The model's table, which `select()` adds to the FROM list. */
  get [EXPRESSION_PARENT](): Table {
    return this.#binding.owner.mapper.table;
  }

  /** @internal The expression over an alias of the class: its correlated subqueries correlate to the alias. */
  adaptTo(table: FromNode, alias: FromNode): ColumnElement<T> {
    const adapted = new ColumnElement(replaceOwnerDeep(this.node, table, alias), this.type);
    Object.defineProperty(adapted, "rowKey", { value: this.rowKey });
    return adapted;
  }

  /** @internal */
  bindAttribute(owner: AttributeOwner): void {
    if (!this.#binding.bind(owner)) return;
    const { slot } = owner.mapper.addExpression(owner.key, this, this.#deferred);
    const mapper = owner.mapper;
    const path = `${mapper.className}.${owner.key}`;
    Object.defineProperty(owner.cls.prototype, owner.key, {
      configurable: true,
      enumerable: true,
      get: slotGetter(slot),
      set() {
        throw new InvalidRequestError(`'${path}' is a column property (an SQL expression loaded with the object): it cannot be set`);
      },
    });
  }
}

/** `expression`, with a scalar subquery that auto-correlates made to correlate to `table` only. */
function correlatedToOwnTable<T>(expression: ColumnElement<T>, table: FromNode): ColumnElement<T> {
  const node = expression.node;
  if (node.kind !== "scalar-subquery" || node.query.kind !== "select" || node.query.correlate !== "auto") return expression;
  const query = Object.freeze({ ...node.query, correlate: [table] });
  return new ColumnElement(Object.freeze({ ...node, query }), expression.type);
}
