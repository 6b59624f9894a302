import type { DiagramColumn, SchemaDiagram } from "./schema-diagram.ts";

/**
 * A schema as a Mermaid `erDiagram` (text for docs and pull requests; GitHub renders it):
 *
 * ```
 * erDiagram
 *   organizations {
 *     integer id PK
 *   }
 *   users {
 *     integer id PK
 *     integer organization_id FK
 *   }
 *   organizations |o..o{ users : "organization_id"
 * ```
 *
 * A link reads parent → children: `||` the child must have a parent, `|o` it may not (a nullable
 * key); `o{` any number of children, `o|` at most one (a unique key); `--` when the key is part of
 * the child's primary key (identifying), `..` otherwise.
 */
export function mermaidErd(diagram: SchemaDiagram): string {
  const lines = ["erDiagram"];
  for (const table of diagram.tables) {
    lines.push(`  ${entityName(table.name)} {`);
    for (const column of table.columns) lines.push(`    ${attribute(column)}`);
    lines.push("  }");
  }
  for (const link of diagram.links) {
    const parentSide = link.optional ? "|o" : "||";
    const childSide = link.oneToOne ? "o|" : "o{";
    const line = link.identifying ? "--" : "..";
    lines.push(`  ${entityName(link.parent)} ${parentSide}${line}${childSide} ${entityName(link.child)} : "${link.columns.join(", ").replaceAll('"', "'")}"`);
  }
  return `${lines.join("\n")}\n`;
}

function attribute(column: DiagramColumn): string {
  const keys = [column.primaryKey ? "PK" : undefined, column.foreignKey ? "FK" : undefined, column.unique ? "UK" : undefined].filter(Boolean);
  // Mermaid's attribute type is one word: letters, digits, _ - ( ) [ ].
  const type = column.type.replace(/[^A-Za-z0-9_()[\]-]/g, "_");
  return `${type} ${word(column.name)}${keys.length > 0 ? ` ${keys.join(", ")}` : ""}`;
}

/** An entity name Mermaid takes unquoted (a schema's dot, spaces and the like become `_`). */
function entityName(name: string): string {
  return word(name);
}

function word(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, "_");
}
