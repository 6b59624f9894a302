import { defineConfig } from "vitest/config";

// `npm run test:faults`: the fault suite (test/faults/). Killed backends, cut connections,
// cancellation, pool exhaustion, fuzzing. Its files run one at a time: each one loads the
// databases on purpose, and two at once on this 2-core machine would measure each other.
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
