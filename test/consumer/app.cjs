// CommonJS: `require("tsalchemy")` loads the ESM build (Node.js 20.19+ requires ES modules without
// top-level await).
const assert = require("node:assert/strict");
const { createAsyncEngine, select, literal } = require("tsalchemy");

(async () => {
  const engine = createAsyncEngine("sqlite://:memory:");
  try {
    const value = (await engine.execute(select(literal(41).add(1).label("answer")))).scalar();
    assert.equal(value, 42);
  } finally {
    await engine.dispose();
  }
  console.log("app.cjs: ok");
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
