import { AsyncSession, createAsyncEngine, select, selectinload, joinedload } from "../../src/index.ts";
import { Organization, User } from "../contenders/tsalchemy-models.ts";
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db", { echo: true } as never);
const s = new AsyncSession(engine);
const r = (await s.scalars(select(Organization).where(Organization.id.le(2)).options(selectinload(Organization.users).joinedload(User.posts as never) as never))).all();
console.log(r.length); await s.close(); await engine.dispose();
