// Writes docs/coverage.md from the bundled datasets: `npm run docs:coverage` after any dataset
// change (compliance/coverage-doc.test.ts fails until the committed file matches).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderCoverageMarkdown } from "../compliance/coverage-report";
import { bundledDatasets } from "../compliance/datasets";

const target = fileURLToPath(new URL("../docs/coverage.md", import.meta.url));
writeFileSync(target, renderCoverageMarkdown(bundledDatasets));
console.log(`wrote ${target}`);
