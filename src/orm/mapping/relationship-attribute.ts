import { JOIN_TARGET, type JoinStep } from "../../core/sql/join-target.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { pairsCondition } from "../mapper/join-columns.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";

/**
 * A relationship as a class attribute (`User.organization`): what loader options and joins take.
 * Typed through `RelationshipAttributeType` on the model's static side.
 */
export class RelationshipAttribute {
  readonly kind = "relationship-attribute";
  readonly parent: Mapper;
  readonly property: RelationshipProperty;

  constructor(parent: Mapper, property: RelationshipProperty) {
    this.parent = parent;
    this.property = property;
    Object.freeze(this);
  }

  get key(): string {
    return this.property.key;
  }

  /**
   * As a join target (`select(...).join(User.posts)`): the target table ON the relationship's
   * columns, from the parent's table; a many-to-many goes through its association table.
   */
  [JOIN_TARGET](): readonly JoinStep[] {
    const join = this.property.join;
    const target = (join.target as Mapper).table;
    const from = this.parent.table;
    if (!join.secondary) return [{ target, on: pairsCondition(join.pairs), from }];
    return [
      { target: join.secondary.table, on: pairsCondition(join.pairs), from },
      { target, on: pairsCondition(join.secondary.targetPairs) },
    ];
  }

  toString(): string {
    return `${this.parent.className}.${this.property.key}`;
  }
}
