import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", "editor/dist/**", "scratch/**"],
    testTimeout: 60_000,
    globalSetup: ["tests/globalSetup.ts"],
  },
});
