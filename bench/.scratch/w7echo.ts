import { AsyncSession, createAsyncEngine, select } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
const engine = createAsyncEngine(process.argv[2]!, { echo: true } as never);
for (let r = 0; r < 3; r++) {
const s = new AsyncSession(engine);
const users = (await s.scalars(select(User).where(User.id.le(1000)).orderBy(User.id))).all();
for (const u of users) u.name = `Renamed ${u.id}`;
await s.flush();
const names = (await s.execute(select(User.name).where(User.id.le(1000)).orderBy(User.id))).scalars().all();
await s.rollback(); await s.close();
}
await engine.dispose();
