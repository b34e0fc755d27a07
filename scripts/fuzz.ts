/**
 * `npm run fuzz`: the long soak of test/route-properties.test.ts. Sends N hostile requests
 * (default 10,000) to every /v1/ route of a running Prep, with the generators of
 * test/hostile-input.ts, and counts a failure for any 5xx or connection error. The last line
 * is `N passed, M failed`; the exit code is 1 on any failure.
 *
 * By default it starts its own `npm start -- --empty` on free ports with a temporary data
 * directory (an embedded database), and stops it (its whole process group) at the end.
 * `--url <url>` uses a running `npm start` instead (its data directory's runtime.json gives the
 * database: .data/, or PREP_DATA_DIR).
 *
 * Options: --runs <n> per route (FUZZ_RUNS), --route <substring> to fuzz only matching routes,
 * --concurrency <n> (8), --seed <n>, --url <url>.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { DATA_DIR } from "../cli/runtime";
import { storeDatasetVersion } from "../db/datasets";
import { freePort } from "../db/local/free-port";
import { openNodeDatabase } from "../db/local/node-database";
import { createPlatformAdmin } from "../db/platform-admins";
import { createTenant } from "../db/tenants";
import {
  describeRequest,
  type Fixture,
  type HostileRequest,
  hostileRequests,
  ROUTE_SPECS,
  type RouteSpec,
  requestInit,
  routeLabel,
} from "../test/hostile-input";
import { linkToken, waitForMail } from "../test/mail";

const ROOT = resolve(import.meta.dirname, "..");
const BATCH = 100;
const SHOWN_FAILURES_PER_ROUTE = 3;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const RUNS = Number(option("runs") ?? process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = Number(option("concurrency") ?? 8);
const SEED = Number(option("seed") ?? Date.now() % 2 ** 31);
const ONLY = option("route");

interface Target {
  url: string;
  databaseUrl: string;
  /** The mail catcher npm start runs (sign-up and invite links arrive there). */
  mailUrl: string;
  stop: () => Promise<void>;
}

/** `npm start -- --empty` on free ports and a temporary data directory, up once it prints its banner. */
async function startPrep(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), "prep-fuzz-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PREP_EMBEDDED_PG_PORT: String(await freePort()),
    PREP_DATA_DIR: dataDir,
    CI: "true",
  };
  delete env.DATABASE_URL; // the embedded database, not the test suite's
  console.log(`• starting npm start on :${port} (data in ${dataDir})…`);
  const child: ChildProcess = spawn("npm", ["start", "--", "--empty"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {
        // already gone
      }
      const timeout = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 30_000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`npm start did not come up in 240 s:\n${output}`)),
      240_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Prep is running at/.test(output)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`npm start exited (${code}):\n${output}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  const runtime = JSON.parse(readFileSync(join(dataDir, "runtime.json"), "utf8")) as {
    databaseUrl: string;
    mailUrl: string;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    databaseUrl: runtime.databaseUrl,
    mailUrl: runtime.mailUrl,
    stop,
  };
}

/** A running `npm start`: its runtime.json names the database. */
function runningPrep(url: string): Target {
  const dir = process.env.PREP_DATA_DIR ? resolve(process.env.PREP_DATA_DIR) : DATA_DIR;
  const runtime = JSON.parse(readFileSync(join(dir, "runtime.json"), "utf8")) as {
    databaseUrl: string;
    mailUrl: string;
  };
  return {
    url: url.replace(/\/$/, ""),
    databaseUrl: runtime.databaseUrl,
    mailUrl: runtime.mailUrl,
    stop: async () => {},
  };
}

const NOTHING = "01M8A5EAZF6PE9WGYST3M0YYXA";

interface Runner {
  fixture: Fixture;
  auth: Record<string, string>;
}

/** Tenants, an admin, a session and a fuzz-only dataset: what the routes act on. */
async function setUp(target: Target) {
  const handle = await openNodeDatabase(target.databaseUrl);
  const tag = crypto.randomUUID().slice(0, 8);
  const ocdId = `ocd-division/country:us/state:zz/place:fuzz_${tag}`;
  try {
    await storeDatasetVersion(
      handle.db,
      {
        jurisdiction: ocdId,
        name: `Fuzz ${tag}`,
        version: "2026.1.0",
        source: { publisher: "npm run fuzz", retrievedAt: "2026-01-01" },
        disclaimer: "Not legal advice. Synthetic fuzz data.",
        rules: [
          {
            id: "FUZZ-INFO",
            title: "Fuzz notice",
            citation: "Fuzz Code § 1",
            severity: "minor",
            verified: true,
            effectiveFrom: "2020-01-01",
            topic: "fuzz_info",
            composition: "additive",
            requirement: { kind: "informational", reason: "Not in the payload.", action: "Keep records." },
          },
        ],
      } as Parameters<typeof storeDatasetVersion>[1],
      { source: "fuzz", approvedBy: "fuzz", activate: true },
    );
    const admin = await createPlatformAdmin(handle.db, `fuzz-${tag}@prep.test`, "fuzz");
    const base = { alertId: `alr_${NOTHING}`, userId: `usr_${NOTHING}`, inviteId: `inv_${NOTHING}`, ocdId };

    const api = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
      const headers = new Headers(init.headers);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      const response = await fetch(`${target.url}${path}`, {
        ...init,
        headers,
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      });
      if (response.status >= 300)
        throw new Error(`setup: ${path} answered ${response.status}: ${await response.text()}`);
      return response;
    };
    const idOf = async (response: Response) => ((await response.json()) as { id: string }).id;

    /** A fresh tenant (through the database: no rate limit) with a facility, a check, a group and a spare key. */
    const keyRunner = async (): Promise<Runner> => {
      // Enterprise: the soak creates locations in many states without a location limit.
      const tenant = await createTenant(handle.db, {
        name: "Fuzzed Kitchens",
        mode: "test",
        actor: "fuzz",
        billing: { plan: "enterprise", states: [] },
      });
      const auth = { authorization: `Bearer ${tenant.apiKey.key}` };
      const facilityId = await idOf(
        await api("/v1/facilities", { method: "POST", headers: auth, json: FACILITY }),
      );
      const checkId = await idOf(
        await api(`/v1/facilities/${facilityId}/checks`, {
          method: "POST",
          headers: auth,
          json: { asOf: "2026-11-25" },
        }),
      );
      const groupId = await idOf(
        await api("/v1/groups", {
          method: "POST",
          headers: auth,
          json: { name: "West", kind: "region", facilityIds: [facilityId] },
        }),
      );
      const keyId = await idOf(
        await api("/v1/keys", {
          method: "POST",
          headers: auth,
          json: { name: "spare", scopes: ["checks:read"] },
        }),
      );
      return { fixture: { ...base, tenantId: tenant.tenantId, facilityId, checkId, groupId, keyId }, auth };
    };

    // One signed-up owner for the session routes (sign-up, invites and sign-in are rate-limited per IP).
    const email = `fuzz-owner-${tag}@example.test`;
    const password = "correct horse battery staple";
    await api("/v1/auth/signup", { method: "POST", json: { companyName: "Fuzz Co", email, password } });
    const confirmation = await waitForMail(target.mailUrl, email, { subject: "Confirm your email" });
    const signedUp = await api("/v1/auth/signup/verify", {
      method: "POST",
      json: { token: linkToken(confirmation) },
    });
    const session = async (response: Response) => {
      const body = (await response.json()) as { csrfToken: string; tenant: { id: string } };
      const cookie =
        (response.headers.getSetCookie().find((c) => c.startsWith("__Host-prep_session=")) ?? "").split(
          ";",
        )[0] ?? "";
      return {
        auth: { cookie, origin: target.url, "x-csrf-token": body.csrfToken },
        tenantId: body.tenant.id,
      };
    };
    const owner = await session(signedUp);
    const invite = async (role: string) => {
      const invitee = `fuzz-${role}-${crypto.randomUUID()}@example.test`;
      const created = (await (
        await api("/v1/invites", { method: "POST", headers: owner.auth, json: { email: invitee, role } })
      ).json()) as { invite: { id: string } };
      const mail = await waitForMail(target.mailUrl, invitee, { subject: "invited" });
      return { ...created, token: linkToken(mail) };
    };
    const member = await invite("viewer");
    const accepted = (await (
      await api("/v1/auth/invites/accept", { method: "POST", json: { token: member.token, password } })
    ).json()) as {
      user: { id: string };
    };
    const pending = await invite("viewer");
    const sessionFixture = {
      ...base,
      tenantId: owner.tenantId,
      facilityId: `fac_${NOTHING}`,
      checkId: `chk_${NOTHING}`,
      groupId: `grp_${NOTHING}`,
      keyId: `key_${NOTHING}`,
      userId: accepted.user.id,
      inviteId: pending.invite.id,
    };
    // Sign-out ends its own session, signed in for it alone.
    const signOutSession = await session(
      await api("/v1/auth/signin", { method: "POST", json: { email, password } }),
    );

    const adminTenant = await createTenant(handle.db, {
      name: "Dead Letter Owner",
      mode: "test",
      actor: "fuzz",
    });
    return {
      close: () => handle.close(),
      runnerFor: async (spec: RouteSpec): Promise<Runner> => {
        if (spec.auth === "session")
          return {
            fixture: sessionFixture,
            auth: spec.route === "/v1/auth/signout" ? signOutSession.auth : owner.auth,
          };
        if (spec.auth === "admin")
          return {
            fixture: {
              ...base,
              tenantId: adminTenant.tenantId,
              facilityId: `fac_${NOTHING}`,
              checkId: `chk_${NOTHING}`,
              groupId: `grp_${NOTHING}`,
              keyId: `key_${NOTHING}`,
            },
            auth: { authorization: `Bearer ${admin.key}` },
          };
        const runner = await keyRunner();
        return spec.auth === "public" ? { ...runner, auth: {} } : runner;
      },
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

const FACILITY = {
  name: "Mission Street Kitchen",
  type: "restaurant",
  address: { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
  openedAt: "2020-01-15",
  staff: [{ id: "mgr-1", name: "Ana", role: "manager", hiredAt: "2019-06-01" }],
};

interface Tally {
  passed: number;
  failed: number;
  byStatus: Map<number | string, number>;
  failures: string[];
}

async function send(
  target: Target,
  request: HostileRequest,
  runner: Runner,
  stream: boolean,
): Promise<number> {
  const response = await fetch(`${target.url}${request.url}`, {
    ...requestInit(request, runner.auth),
    signal: AbortSignal.timeout(30_000),
  });
  if (stream && response.status < 300) await response.body?.cancel();
  else await response.arrayBuffer();
  return response.status;
}

async function fuzzRoute(target: Target, spec: RouteSpec, runner: Runner, tally: Tally, seed: number) {
  const arbitrary = hostileRequests(spec, runner.fixture);
  let shown = 0;
  for (let done = 0, batch = 0; done < RUNS; batch++) {
    const requests = fc.sample(arbitrary, { numRuns: Math.min(BATCH, RUNS - done), seed: seed + batch });
    done += requests.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++] as HostileRequest;
          let outcome: number | string;
          try {
            outcome = await send(target, request, runner, spec.stream ?? false);
          } catch (error) {
            outcome = `connection error: ${(error as Error).message}`;
          }
          tally.byStatus.set(outcome, (tally.byStatus.get(outcome) ?? 0) + 1);
          if (typeof outcome === "number" && outcome < 500) {
            tally.passed++;
          } else {
            tally.failed++;
            if (shown++ < SHOWN_FAILURES_PER_ROUTE)
              tally.failures.push(`${outcome} ← ${describeRequest(request)}`);
          }
        }
      }),
    );
  }
}

async function main() {
  const urlOption = option("url");
  const target = urlOption ? runningPrep(urlOption) : await startPrep();
  const total: Tally = { passed: 0, failed: 0, byStatus: new Map(), failures: [] };
  try {
    const setup = await setUp(target);
    try {
      const specs = ROUTE_SPECS.filter((spec) => !ONLY || routeLabel(spec).includes(ONLY));
      // Sign-out last but one and the destructive team routes last: the others keep their session.
      const order = (spec: RouteSpec) =>
        spec.route === "/v1/auth/signout" ? 2 : spec.method === "DELETE" && spec.auth === "session" ? 1 : 0;
      specs.sort((a, b) => order(a) - order(b));
      console.log(
        `• ${RUNS} requests per route, ${specs.length} routes, seed ${SEED}, ${CONCURRENCY} at a time`,
      );
      for (const [i, spec] of specs.entries()) {
        const tally: Tally = { passed: 0, failed: 0, byStatus: new Map(), failures: [] };
        const started = Date.now();
        await fuzzRoute(target, spec, await setup.runnerFor(spec), tally, SEED + i * 1_000_003);
        const statuses = [...tally.byStatus]
          .sort()
          .map(([status, n]) => `${status}×${n}`)
          .join(" ");
        console.log(
          `${tally.failed ? "✗" : "✓"} ${routeLabel(spec)}: ${tally.passed} passed, ${tally.failed} failed (${((Date.now() - started) / 1000).toFixed(0)} s; ${statuses})`,
        );
        for (const failure of tally.failures) console.log(`    ${failure}`);
        total.passed += tally.passed;
        total.failed += tally.failed;
      }
    } finally {
      await setup.close();
    }
  } finally {
    await target.stop();
  }
  console.log(`${total.passed} passed, ${total.failed} failed`);
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`npm run fuzz failed: ${(error as Error).stack ?? error}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
