import { AsyncSession, createAsyncEngine, select, func } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db", { echo: true } as never);
const s = new AsyncSession(engine);
for (let i = 0; i < 1000; i++) { const id = 100_001 + i; s.add(new User({ id, name: `New ${id}`, email: `new${id}@example.com`, organizationId: 1 })); }
await s.flush();
await s.rollback(); await s.close(); await engine.dispose();
