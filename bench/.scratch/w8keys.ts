import { givesExactly, definedKeys } from "../../src/core/engine/execute-many.ts";
import { BULK_ROWS, bulkUser } from "../workloads.ts";
const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
const keys = definedKeys(rows[0] as never);
const med = (f: () => void) => { const s: number[] = []; for (let i = 0; i < 100; i++) { const t = performance.now(); f(); s.push(performance.now() - t); } s.sort((a, b) => a - b); return s[50]!.toFixed(3); };
for (let r = 0; r < 2; r++) console.log("givesExactly x10k", med(() => { let n = 0; for (const p of rows) if (givesExactly(p as never, keys)) n++; if (n !== rows.length) throw 1; }));
