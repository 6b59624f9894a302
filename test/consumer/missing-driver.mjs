// An application with only better-sqlite3 installed asks for PostgreSQL: the error must be
// tsalchemy's, naming the package to install, not Node's ERR_MODULE_NOT_FOUND.
import assert from "node:assert/strict";
import { createAsyncEngine } from "tsalchemy";

const engine = createAsyncEngine("postgresql://postgres@127.0.0.1:5432/test");
try {
  await assert.rejects(engine.connect(), (error) => {
    assert.match(error.message, /npm install pg\b/);
    assert.notEqual(error.code, "ERR_MODULE_NOT_FOUND");
    return true;
  });
} finally {
  await engine.dispose();
}
console.log("missing-driver.mjs: ok");
