/**
 * `npm run smoke`: the default path a newcomer takes, end to end. Runs `npm start` (no
 * stdin, `CI=true`) on a fresh temporary data directory, i.e. a new embedded database, and
 * checks that
 * - it comes up and prints the demo API key, with no stack trace in its output;
 * - the demo tenant was seeded: its facilities include all three statuses, and an alert;
 * - `POST /v1/checks` answers with a verdict;
 * - Ctrl-C (SIGINT to its process group, as a terminal sends it) stops it cleanly: "Prep
 *   stopped.", exit code 0 or an end by that SIGINT, no process it started left running,
 *   its port closed;
 * then runs it a second time on the same data directory: the same key, nothing seeded twice.
 *
 * DATABASE_URL is ignored (CI sets it for the test suite): this is about the embedded
 * database. `--data-dir <dir>` uses (and keeps) that directory instead of a temporary one.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../db/local/free-port";

const ROOT = resolve(import.meta.dirname, "..");
const READY_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 30_000;
/** How long start.ts may take, once npm has returned, to stop what it started (its own limit is 10 s). */
const CHILDREN_GRACE_MS = 15_000;

type Status = "compliant" | "at_risk" | "non_compliant";

class SmokeFailure extends Error {}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** Every process descending from `root` (pid, command), from `ps`, on Linux and macOS. */
function descendants(root: number): Map<number, string> {
  const table = execFileSync("ps", ["-A", "-o", "pid=,ppid=,comm="], { encoding: "utf8" });
  const children = new Map<number, { pid: number; comm: string }[]>();
  for (const row of table.split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(row);
    if (!match) continue;
    const [pid, ppid, comm] = [Number(match[1]), Number(match[2]), (match[3] ?? "").trim()];
    children.set(ppid, [...(children.get(ppid) ?? []), { pid, comm }]);
  }
  const found = new Map<number, string>();
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child.comm);
      queue.push(child.pid);
    }
  }
  return found;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startPrep(env: NodeJS.ProcessEnv, label: string): Run {
  // Its own process group, like a terminal's foreground job: SIGINT to the group is Ctrl-C.
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const show = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split("\n")) if (line) process.stdout.write(`  ${label} │ ${line}\n`);
  };
  child.stdout?.on("data", show);
  child.stderr?.on("data", show);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("exit", (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exit };
}

async function waitForBanner(run: Run): Promise<{ apiKey: string; demoLine: string }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  void run.exit.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    const output = run.output();
    const key = /Demo API key:\s+(prep_test_\S+)/.exec(output)?.[1];
    const demoLine = /Demo data:\s+(.*)/.exec(output)?.[1];
    // The banner's last line: everything above it (the seeding included) is done.
    if (key && demoLine && /Stop:\s+Ctrl-C/.test(output)) return { apiKey: key, demoLine };
    assert(!exited, "npm start exited before it was ready");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new SmokeFailure(`npm start printed no demo API key within ${READY_TIMEOUT_MS / 1000} s`);
}

async function api<T>(
  base: string,
  key: string,
  path: string,
  init: { method?: string; json?: unknown } = {},
) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.json === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  assert(response.ok, `${init.method ?? "GET"} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

async function portClosed(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

/** SIGINT to the group, then: exit code 0, the goodbye line, nothing left running. */
async function stopAndCheck(run: Run, port: number): Promise<void> {
  const pid = run.child.pid as number;
  const started = descendants(pid);
  assert(
    [...started.values()].some((comm) => /workerd/.test(comm)),
    `no workerd among npm start's processes (${[...started.values()].join(", ")})`,
  );
  process.kill(-pid, "SIGINT");
  const result = await Promise.race([
    run.exit,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), STOP_TIMEOUT_MS)),
  ]);
  if (result === null) {
    for (const child of started.keys()) if (alive(child)) kill(child, "SIGKILL");
    throw new SmokeFailure(`npm start did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGINT`);
  }
  // npm may return before start.ts has finished stopping what it started (npm and sh get the
  // SIGINT too, and one CI run saw npm exit first): give start.ts its own 10 s for wrangler's
  // workerd and esbuild, then whatever is still alive was left behind.
  const settled = Date.now() + CHILDREN_GRACE_MS;
  while ([...started.keys()].some(alive) && Date.now() < settled)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const left = [...started].filter(([child]) => alive(child));
  for (const [child] of left) kill(child, "SIGKILL");
  assert(
    left.length === 0,
    `processes left running after npm start stopped: ${left.map(([p, c]) => `${c} (${p})`).join(", ")}`,
  );
  // start.ts exits 0 on SIGINT. npm runs it through `sh -c`, and sh, having got the SIGINT
  // too, ends itself by it once its child is done; npm then does the same, so a Ctrl-C'd
  // `npm start` ends by SIGINT (130 in a shell), as Ctrl-C'd programs conventionally do.
  assert(
    result.code === 0 || result.code === 130 || result.signal === "SIGINT",
    `npm start ended with ${result.code ?? result.signal} after SIGINT, expected 0 or SIGINT`,
  );
  assert(/Prep stopped\./.test(run.output()), 'npm start did not print "Prep stopped."');
  assert(await portClosed(port), `port ${port} still answers after npm start stopped`);
}

/** Stack traces in what a newcomer sees are what this smoke test also guards against. */
function assertNoStackTraces(output: string): void {
  const trace = output.split("\n").find((line) => /^\s+at\s+\S.*(\(.*:\d+:\d+\)|:\d+:\d+)\s*$/.test(line));
  assert(!trace, `npm start printed a stack trace: ${trace}`);
  const warning = output.split("\n").find((line) => /Warning: demo data/.test(line));
  assert(!warning, `npm start warned about the demo data: ${warning}`);
}

async function firstRun(base: string, run: Run) {
  const { apiKey, demoLine } = await waitForBanner(run);
  // Seeded now, or, with a --data-dir used before, on an earlier run.
  assert(/^seeded (\d+ locations|on )/.test(demoLine), `the demo data was not seeded: ${demoLine}`);

  const check = await api<{ id: string; status: string; findings: unknown[] }>(base, apiKey, "/v1/checks", {
    method: "POST",
    json: {
      facility: {
        name: "Smoke Test Kitchen",
        type: "restaurant",
        address: { city: "San Francisco", state: "CA" },
        staff: [{ id: "s-1", name: "Maria", role: "food_employee", hiredAt: "2026-09-01" }],
      },
    },
  });
  assert(
    check.id && check.status && check.findings.length > 0,
    `POST /v1/checks: no verdict (${JSON.stringify(check)})`,
  );
  console.log(`smoke: POST /v1/checks → ${check.status} with ${check.findings.length} findings`);

  const facilities = await api<{ data: { name: string; status: Status }[] }>(
    base,
    apiKey,
    "/v1/facilities?limit=100",
  );
  const statuses = new Set(facilities.data.map((facility) => facility.status));
  console.log(
    `smoke: demo facilities: ${facilities.data.map((facility) => `${facility.name} (${facility.status})`).join(", ")}`,
  );
  assert(facilities.data.length > 0, "the demo tenant has no facilities");
  for (const status of ["compliant", "at_risk", "non_compliant"] as const)
    assert(statuses.has(status), `no demo facility is ${status}`);
  const alerts = await api<{ data: unknown[] }>(base, apiKey, "/v1/alerts");
  assert(alerts.data.length > 0, "the demo tenant has no alerts");
  console.log(`smoke: ${alerts.data.length} alerts`);
  return { apiKey, facilityCount: facilities.data.length };
}

async function secondRun(base: string, run: Run, first: { apiKey: string; facilityCount: number }) {
  const { apiKey, demoLine } = await waitForBanner(run);
  assert(apiKey === first.apiKey, "the second run printed a different demo API key");
  assert(/^seeded on /.test(demoLine), `the second run did not report the earlier seeding: ${demoLine}`);
  const facilities = await api<{ data: unknown[] }>(base, apiKey, "/v1/facilities?limit=100");
  assert(
    facilities.data.length === first.facilityCount,
    `the demo tenant has ${facilities.data.length} facilities after a restart, ${first.facilityCount} before`,
  );
  console.log(`smoke: restart kept the demo tenant (${facilities.data.length} facilities, same key)`);
}

async function main() {
  const flag = process.argv.indexOf("--data-dir");
  const given = flag >= 0 ? process.argv[flag + 1] : undefined;
  const dataDir = given ? resolve(given) : mkdtempSync(join(tmpdir(), "prep-smoke-"));
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    PORT: String(port),
    PREP_EMBEDDED_PG_PORT: String(await freePort()),
    PREP_DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  const base = `http://127.0.0.1:${port}`;
  console.log(`smoke: npm start on port ${port}, data in ${dataDir}`);

  let run: Run | undefined;
  try {
    run = startPrep(env, "1");
    const first = await firstRun(base, run);
    assertNoStackTraces(run.output());
    await stopAndCheck(run, port);
    console.log("smoke: first run stopped cleanly");

    run = startPrep(env, "2");
    await secondRun(base, run, first);
    assertNoStackTraces(run.output());
    await stopAndCheck(run, port);
    console.log("smoke: second run stopped cleanly");
    run = undefined;
    console.log("smoke: ok");
  } finally {
    // On failure, leave nothing running.
    if (run?.child.pid && run.child.exitCode === null) {
      const started = descendants(run.child.pid);
      kill(-run.child.pid, "SIGINT");
      await Promise.race([run.exit, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      for (const [child] of started) if (alive(child)) kill(child, "SIGKILL");
    }
    if (!given) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`smoke: FAILED: ${error instanceof SmokeFailure ? error.message : (error as Error).stack}`);
  process.exit(1);
});
