// Which top-level folder may import which: the rules are read from each folder's README, from
// its one line `May import: \`a/\`, \`b/\`` (or `May import: nothing.`). `May import (types
// only): …` allows only `import type` of those folders. The README is the rule, so the prose a
// reader follows and what `npm run lint` enforces cannot drift apart.
//
// Tests (`*.test.ts`) may import anything: a test proves a folder from outside. Folders with no
// such line are not checked (docs, bin).
import { readdirSync, readFileSync } from "node:fs";

const RULE_LINE = /^May import( \(types only\))?: (.*)$/m;

function readFolderRules() {
  const rules = new Map();
  for (const entry of readdirSync(".", { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".") || entry.name === "node_modules") continue;
    let readme;
    try {
      readme = readFileSync(`${entry.name}/README.md`, "utf8");
    } catch {
      continue;
    }
    const match = RULE_LINE.exec(readme);
    if (!match) continue;
    const allowed = [...match[2].matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]);
    rules.set(entry.name, { allowed, typesOnly: Boolean(match[1]) });
  }
  return rules;
}

/** Refuses rules that allow a cycle between folders: then no import could be wrong in both directions. */
function assertAcyclic(rules) {
  const visiting = new Set();
  const done = new Set();
  const visit = (folder, path) => {
    if (done.has(folder)) return;
    if (visiting.has(folder))
      throw new Error(`README import rules allow a cycle: ${[...path, folder].join(" → ")}`);
    visiting.add(folder);
    for (const next of rules.get(folder)?.allowed ?? []) visit(next, [...path, folder]);
    visiting.delete(folder);
    done.add(folder);
  };
  for (const folder of rules.keys()) visit(folder, []);
}

const rules = readFolderRules();
assertAcyclic(rules);
const folders = [...rules.keys()];
const NOT_CHECKED = "(^|/)[^/]+\\.test\\.tsx?$";

const forbidden = [...rules].flatMap(([folder, { allowed, typesOnly }]) => {
  const others = folders.filter((other) => other !== folder && !allowed.includes(other));
  const rulesForFolder = [];
  if (others.length > 0) {
    rulesForFolder.push({
      name: `${folder}-may-not-import`,
      comment: `${folder}/README.md: May import ${allowed.length ? allowed.map((a) => `${a}/`).join(", ") : "nothing"}`,
      severity: "error",
      from: { path: `^${folder}/`, pathNot: NOT_CHECKED },
      to: { path: `^(${others.join("|")})/` },
    });
  }
  if (typesOnly && allowed.length > 0) {
    rulesForFolder.push({
      name: `${folder}-imports-types-only`,
      comment: `${folder}/README.md: may import only types of ${allowed.map((a) => `${a}/`).join(", ")}`,
      severity: "error",
      from: { path: `^${folder}/`, pathNot: NOT_CHECKED },
      to: { path: `^(${allowed.join("|")})/`, dependencyTypesNot: ["type-only"] },
    });
  }
  return rulesForFolder;
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...forbidden,
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing is a typo or a missing dependency.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.wrangler|\\.data)/" },
    // Type-only imports count: `import type` across a forbidden edge is still a wrong-way dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types", "workerd"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json", ".d.ts"],
    },
    // `cloudflare:workers`, `cloudflare:test` and `node:*` are provided by the runtime.
    builtInModules: { add: ["cloudflare:workers", "cloudflare:test", "cloudflare:sockets"] },
  },
};
