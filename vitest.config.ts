import { defineConfig } from "vitest/config";

// Two cores on the CI machine: two forked workers, one test file each. PGlite's first start in a
// worker takes seconds, hence the generous hook timeout (docs/adr/0001-test-runner-and-toolchain.md).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fault suite runs on its own (npm run test:faults, vitest.faults.config.ts).
    exclude: ["test/faults/**", "**/node_modules/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
