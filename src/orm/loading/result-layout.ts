import type { FromNode } from "../../core/sql/nodes.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";

/**
 * One element of an ORM select's result row: an entity built from a run of columns (of `owner`, an
 * aliased entity's alias, when it is not the mapper's table), or a plain column.
 */
export type ResultElement =
  | {
      readonly kind: "entity";
      readonly mapper: Mapper;
      readonly columns: readonly ColumnProperty[];
      readonly offset: number;
      readonly owner?: FromNode | undefined;
      /** The key of the entity in result rows when it is not the class name (an aliased entity's name). */
      readonly name?: string;
    }
  | { readonly kind: "column"; readonly offset: number };
