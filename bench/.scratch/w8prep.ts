import { createAsyncEngine, insert } from "../../src/index.ts";
import { prepareMany } from "../../src/core/engine/execute-many.ts";
import { User } from "../contenders/tsalchemy-models.ts";
import { BULK_ROWS, bulkUser } from "../workloads.ts";
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db");
const dialect = engine.dialect;
const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
const cols = rows.map((r) => ({ id: r.id, name: r.name, email: r.email, organization_id: r.organizationId }));
const st = insert(User);
const med = (f: () => void) => { const s: number[] = []; for (let i = 0; i < 60; i++) { const t = performance.now(); f(); s.push(performance.now() - t); } s.sort((a, b) => a - b); return s[30]!.toFixed(2); };
for (let r = 0; r < 2; r++) {
  console.log("prepareMany 10k", med(() => prepareMany(dialect, st as never, rows as never)));
  console.log("first batch compile", med(() => { const b = rows.slice(0, 1000); dialect.compiler.compile((st as any).values(b).node); }));
  console.log("values() 1000", med(() => { (st as any).values(rows.slice(0, 1000)); }));
}
await engine.dispose();
