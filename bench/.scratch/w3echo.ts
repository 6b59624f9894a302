import { AsyncSession, createAsyncEngine, select, selectinload, event } from "../../src/index.ts";
import { Organization, User } from "../contenders/tsalchemy-models.ts";
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db", { echo: true } as never);
const s = new AsyncSession(engine);
const r = (await s.scalars(select(Organization).options(selectinload(Organization.users)))).all();
console.log(r.length);
await s.close(); await engine.dispose();
