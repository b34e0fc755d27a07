// Tests run inside workerd (@cloudflare/vitest-plugin) against a real database; see test/global-setup.ts.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("workerDatabaseUrl"),
          OWNER_DATABASE_URL: inject("ownerDatabaseUrl"),
          DB_WS_PROXY: inject("wsProxy"),
          DATABASE_KIND: inject("databaseKind"),
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "web/**", "dist/**", ".wrangler/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
