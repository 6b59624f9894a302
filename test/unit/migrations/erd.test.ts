/**
 * `tsalchemy erd`: a MetaData as a Mermaid erDiagram, as Graphviz DOT, and as SVG through
 * Graphviz compiled to WebAssembly — without a database.
 */
import { describe, expect, it } from "vitest";
import { Column, ForeignKey, Integer, MetaData, StringType, Table, UniqueConstraint } from "../../../src/index.ts";
import { graphvizErd, renderSvg } from "../../../src/migrations/diagram/graphviz-erd.ts";
import { mermaidErd } from "../../../src/migrations/diagram/mermaid-erd.ts";
import { schemaDiagram } from "../../../src/migrations/diagram/schema-diagram.ts";

function shopMetadata(): MetaData {
  const metadata = new MetaData();
  new Table("organizations", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50), { nullable: false, unique: true }),
  });
  new Table("users", metadata, {
    id: Column(Integer, { primaryKey: true }),
    organizationId: Column(Integer, ForeignKey("organizations.id"), { name: "organization_id" }),
  });
  new Table(
    "profiles",
    metadata,
    {
      id: Column(Integer, { primaryKey: true }),
      userId: Column(Integer, ForeignKey("users.id"), { name: "user_id", nullable: false }),
    },
    new UniqueConstraint(["userId"]),
  );
  new Table("user_tags", metadata, {
    userId: Column(Integer, ForeignKey("users.id"), { name: "user_id", primaryKey: true }),
    tag: Column(StringType(20), { primaryKey: true }),
  });
  return metadata;
}

describe("erd", () => {
  it("Mermaid: tables in dependency order with their keys; links by optionality, uniqueness and identity", () => {
    expect(mermaidErd(schemaDiagram(shopMetadata()))).toBe(
      [
        "erDiagram",
        "  organizations {",
        "    integer id PK",
        "    varchar(50) name UK",
        "  }",
        "  users {",
        "    integer id PK",
        "    integer organization_id FK",
        "  }",
        "  profiles {",
        "    integer id PK",
        "    integer user_id FK",
        "  }",
        "  user_tags {",
        "    integer user_id PK, FK",
        "    varchar(20) tag PK",
        "  }",
        '  organizations |o..o{ users : "organization_id"',
        '  users ||..o| profiles : "user_id"',
        '  users ||--o{ user_tags : "user_id"',
        "",
      ].join("\n"),
    );
  });

  it("Graphviz DOT: a node per table, an edge from each key column to the column it references", () => {
    const dot = graphvizErd(schemaDiagram(shopMetadata()));
    expect(dot).toMatch(/^digraph schema \{/);
    expect(dot).toContain('"users":"organization_id" -> "organizations":"id" [label="organization_id" style=dashed arrowhead=teeodot];');
    expect(dot).toContain('"profiles":"user_id" -> "users":"id" [label="user_id" arrowtail=teeodot];');
    expect(dot).toContain('<td port="name" align="left">name</td><td align="left">varchar(50) not null</td><td align="left">UK</td>');
  });

  it("SVG through Graphviz (WebAssembly): every table and key column is drawn", async () => {
    const svg = await renderSvg(graphvizErd(schemaDiagram(shopMetadata())));
    expect(svg).toContain("<svg");
    for (const text of ["organizations", "users", "profiles", "user_tags", "organization_id"]) expect(svg).toContain(`>${text}<`);
  });

  it("names Mermaid cannot take unquoted become words: a schema's dot, a space", () => {
    const metadata = new MetaData();
    new Table("order lines", metadata, { id: Column(Integer, { primaryKey: true }) }, { schema: "sales" });
    expect(mermaidErd(schemaDiagram(metadata))).toContain("  sales_order_lines {");
  });
});
