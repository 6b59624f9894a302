import { MigrationError } from "../migration-errors.ts";
import type { SchemaDiagram } from "./schema-diagram.ts";

/**
 * A schema as Graphviz DOT: one table per node (an HTML label), an edge from each foreign key
 * column to the column it references, crow's foot at the child; dashed, and zero-or-one at the
 * parent, when the key is nullable.
 */
export function graphvizErd(diagram: SchemaDiagram): string {
  const lines = ["digraph schema {", "  graph [rankdir=LR];", '  node [shape=plain fontname="Helvetica" fontsize=10];', '  edge [dir=both arrowtail=crow arrowhead=teetee fontname="Helvetica" fontsize=9];'];
  for (const table of diagram.tables) {
    const rows = table.columns.map((c) => {
      const keys = [c.primaryKey ? "PK" : "", c.foreignKey ? "FK" : "", c.unique ? "UK" : ""].filter(Boolean).join(" ");
      return `<tr><td port=${quote(c.name)} align="left">${html(c.name)}</td><td align="left">${html(c.type)}${c.nullable ? "" : " not null"}</td><td align="left">${keys}</td></tr>`;
    });
    const label = `<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr><td colspan="3" bgcolor="#e8e8f0"><b>${html(table.name)}</b></td></tr>${rows.join("")}</table>`;
    lines.push(`  ${quote(table.name)} [label=<${label}>];`);
  }
  for (const link of diagram.links) {
    // Child (tail) → parent (head): a crow's foot at the many side, one (or zero-or-one) at the parent.
    const optional = link.optional ? " style=dashed arrowhead=teeodot" : "";
    const oneToOne = link.oneToOne ? " arrowtail=teeodot" : "";
    lines.push(`  ${quote(link.child)}:${quote(link.columns[0] ?? "")} -> ${quote(link.parent)}:${quote(link.parentColumns[0] ?? "")} [label=${quote(link.columns.join(", "))}${optional}${oneToOne}];`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * DOT rendered to SVG by Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`, an optional
 * peer: no browser or system Graphviz needed).
 */
export async function renderSvg(dot: string): Promise<string> {
  let graphviz: { dot(source: string): string };
  try {
    const { Graphviz } = (await import("@hpcc-js/wasm-graphviz")) as { Graphviz: { load(): Promise<{ dot(source: string): string }> } };
    graphviz = await Graphviz.load();
  } catch (error) {
    throw new MigrationError(`Rendering SVG needs @hpcc-js/wasm-graphviz: npm install -D @hpcc-js/wasm-graphviz (${(error as Error).message})`);
  }
  return graphviz.dot(dot);
}

function quote(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

function html(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
