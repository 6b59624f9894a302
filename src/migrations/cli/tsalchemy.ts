#!/usr/bin/env node
/**
 * The `tsalchemy` executable (package.json `bin`): a composition root, where the migration
 * commands meet the engine factory and the dialects.
 *
 *   npx tsalchemy upgrade head
 */
import { createAsyncEngine, dialectNamed } from "../../core/engine/create-async-engine.ts";
import { runCli } from "./run-cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  createEngine: (url) => createAsyncEngine(url),
  dialectNamed,
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(text),
});
