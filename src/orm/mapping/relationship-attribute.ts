import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";

/**
 * A relationship as a class attribute (`User.organization`): what loader options and ORM joins
 * take. Typed through `RelationshipAttributeType` on the model's static side.
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

  toString(): string {
    return `${this.parent.className}.${this.property.key}`;
  }
}
