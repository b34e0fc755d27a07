// Builds the static admin app (Preact) into web/dist, which the Worker serves as static assets.
// web/public/_headers (copied as is) gives those static responses their security headers.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defineConfig, type Plugin } from "vite";

/**
 * The API reference UI that /docs loads (workers/routes/docs/docs.ts, SCALAR_SCRIPT), served
 * from this deployment rather than a CDN: the standalone browser build of the
 * @scalar/api-reference version pinned in package.json and package-lock.json.
 */
const SCALAR_SCRIPT = "vendor/scalar-api-reference.js";

function scalarStandalone(): Plugin {
  return {
    name: "prep:scalar-standalone",
    apply: "build",
    generateBundle() {
      // The package's exports do not list the browser build; find it beside the main entry.
      const entry = createRequire(import.meta.url).resolve("@scalar/api-reference");
      const source = readFileSync(join(dirname(entry), "browser/standalone.js"));
      this.emitFile({ type: "asset", fileName: SCALAR_SCRIPT, source });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  // Preact's automatic JSX runtime: no React, no plugin needed.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  plugins: [scalarStandalone()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
});
