// Builds the static admin app (Preact) into web/dist, which the Worker serves as static assets.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  // Preact's automatic JSX runtime: no React, no plugin needed.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", reportCompressedSize: true },
});
