import { Column, Integer, MetaData, StringType, Table, insert, createAsyncEngine } from "../../src/index.ts";
const stamped = (label: string) => new Table("em_items", new MetaData(), { id: Column(Integer, { primaryKey: true }), name: Column(StringType(50), { default: () => label }), qty: Column(Integer) });
const e = createAsyncEngine("sqlite://:memory:");
const k = (t: Table) => e.dialect.compiler.compile((insert(t) as any).values({ qty: 1 }).node).extracted.key;
console.log(k(stamped("a")) === k(stamped("b")));
await e.dispose();
