/**
 * `npm start`: the whole product on this machine with nothing installed.
 *
 * 1. PostgreSQL: DATABASE_URL if set, else embedded PGlite with data under .data/pglite.
 * 2. Migrations, the Worker's login role, the bundled datasets and a demo tenant.
 * 3. The WebSocket bridge the Worker's Neon driver reaches the database through, the
 *    mail catcher (maildev) the Worker sends email to, with a web page to read it, and a
 *    loopback Twilio (test/twilio-server.ts) the Worker sends SMS to, unless TWILIO_* are set.
 * 4. The static app (rebuilt on change) and `wrangler dev` (workerd) on :8787, with the
 *    datasets published as a signed bundle in its local R2 bucket (scripts/local-bundle.ts).
 * 5. On the first run, the demo tenant's locations, seeded through the Worker's own API
 *    (scripts/demo-tenant.ts).
 * Ctrl-C stops everything it started.
 *
 * Options: `--empty` seeds no demo data; `--reset-demo` replaces the demo tenant (and its
 * data) with a fresh one, seeded again unless `--empty` is given too. `PREP_DATA_DIR` puts
 * the data directory (embedded database, demo credentials, workerd's local state) elsewhere
 * than .data/, e.g. a temporary one for the smoke test. Product analytics are logged locally
 * unless SEGMENT_WRITE_KEY / AMPLITUDE_API_KEY (and ANALYTICS_HMAC_KEY) are set, or
 * `PREP_ANALYTICS_LOOPBACK=1` starts local stand-ins of Segment and Amplitude.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { DATA_DIR, RUNTIME_FILE } from "../cli/runtime";
import { startMailCatcher } from "../db/local/mail-catcher";
import { startLocalDatabase } from "../db/local/stack";
import { startAnalyticsFake } from "../test/analytics-server";
import { fakeTwilioVars, startTwilioFake } from "../test/twilio-server";
import { ensureDemoAdmin, localSessionSecret } from "./demo-admin";
import { type DemoCredentials, demoSeeded, ensureDemoTenant, seedDemoTenant } from "./demo-tenant";
import { localSigningKeys } from "./dev-signing-keys";
import { publishLocalBundle } from "./local-bundle";

const PORT = Number(process.env.PORT ?? 8787);
const EMBEDDED_PORT = Number(process.env.PREP_EMBEDDED_PG_PORT ?? 54329);
/** The mail catcher's ports: taken when free, else any free ones (the banner prints the page). */
const MAIL_SMTP_PORT = Number(process.env.PREP_MAIL_SMTP_PORT ?? 1025);
const MAIL_WEB_PORT = Number(process.env.PREP_MAIL_WEB_PORT ?? 1080);
const ROOT = resolve(import.meta.dirname, "..");
const bin = (name: string) => resolve(ROOT, "node_modules", ".bin", name);

const CUSTOM_DATA_DIR = process.env.PREP_DATA_DIR ? resolve(process.env.PREP_DATA_DIR) : null;
const DATA = CUSTOM_DATA_DIR ?? DATA_DIR;
// The CLI looks for a running `npm start` in .data/runtime.json only.
const RUNTIME = CUSTOM_DATA_DIR ? resolve(CUSTOM_DATA_DIR, "runtime.json") : RUNTIME_FILE;
/** A path as the user would type it: relative when under the working directory. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith("..") ? inside : path;
};

const USAGE = `Usage: npm start [-- --empty] [-- --reset-demo]
  --empty        do not seed the demo tenant's locations
  --reset-demo   wipe the demo tenant (locations, history, alerts, key) and seed a fresh one`;

function parseOptions(args: string[]): { empty: boolean; resetDemo: boolean } {
  const options = { empty: false, resetDemo: false };
  for (const arg of args) {
    if (arg === "--empty") options.empty = true;
    else if (arg === "--reset-demo") options.resetDemo = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`npm start: unknown option ${arg}\n${USAGE}`);
      process.exit(2);
    }
  }
  return options;
}

/**
 * What `npm start` shows of wrangler dev's output. Dropped, because a newcomer would take
 * them for errors while they are expected here:
 * - the `Request.cf` warning: without internet access wrangler cannot fetch that object (it
 *   falls back to a placeholder) and logs the network error with its stack trace; the
 *   warning, the one error line right after it and its stack trace go;
 * - the "Scheduled Workers are not automatically triggered" warning box (the banner says how
 *   to trigger the cron jobs instead);
 * - while `quiet()` says so, the request log lines of the demo seeding's own API calls;
 * and of the web build's output (vite): its refusal, with a stack trace, to watch web/ when
 * another `npm start` in this checkout already does; one line says so instead.
 * Anything else, real errors included, passes through unchanged.
 */
function outputFilter(write: (text: string) => void, quiet: () => boolean = () => false) {
  let pending = "";
  let timer: NodeJS.Timeout | undefined;
  let dropping: "no" | "error-line" | "trace" | "box" = "no";
  // vite's "error during build:" is held until the next line says which error it is.
  let held: string | null = null;
  const line = (text: string) => {
    // ANSI colours are stripped only to classify; what is written keeps them.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
    const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
    if (held !== null) {
      const lock = /Found another Vite build process for this project \(PID (\d+)\)/.exec(plain);
      if (lock) {
        held = null;
        dropping = "trace";
        write(
          `• web app: another npm start (vite build --watch, PID ${lock[1]}) already rebuilds web/dist in this checkout; using its build\n`,
        );
        return;
      }
      write(`${held}\n`);
      held = null;
    }
    if (/^error during build:\s*$/.test(plain)) {
      held = text;
      return;
    }
    if (/Unable to fetch the `Request\.cf` object/.test(plain)) {
      dropping = "error-line";
      return;
    }
    if (/Scheduled Workers are not automatically triggered during local development/.test(plain)) {
      dropping = "box";
      return;
    }
    if (dropping === "error-line" && /^\s*(\w*Error|\[cause\])\b.*:/.test(plain)) {
      dropping = "trace";
      return;
    }
    if (dropping === "trace" && (/^\s+at\s/.test(plain) || /^\s*\[cause\]|^Pass --bypass-lock/.test(plain)))
      return;
    // The box's body is indented; it ends at the first line that is not.
    if (dropping === "box" && (/^\s/.test(plain) || plain === "")) return;
    dropping = "no";
    if (quiet() && /^\[wrangler:info\] (GET|POST|PATCH) \/v1\/(facilities|alerts)\S* 2\d\d /.test(plain))
      return;
    write(`${text}\n`);
  };
  const flush = () => {
    clearTimeout(timer);
    if (pending) line(pending);
    pending = "";
    if (held !== null) write(`${held}\n`);
    held = null;
  };
  return {
    push(chunk: Buffer | string) {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const text of lines) line(text);
      // A line without its newline yet (a prompt, a progress line) is shown soon anyway.
      clearTimeout(timer);
      if (pending) timer = setTimeout(flush, 200);
    },
    flush,
  };
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  mkdirSync(DATA, { recursive: true });
  const children: ChildProcess[] = [];
  let stopping = false;

  const database = await startLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: resolve(DATA, "pglite"),
    port: EMBEDDED_PORT,
  });
  const ownerUrl = database.ownerUrl;
  const host = new URL(ownerUrl).host;
  console.log(
    `• database: ${database.kind === "pglite" ? `embedded PGlite (${shown(resolve(DATA, "pglite"))}) on ${host}` : `DATABASE_URL (${host})`}`,
  );
  const demo = await ensureDemoTenant(ownerUrl, DATA, {
    reset: options.resetDemo,
    embedded: database.kind === "pglite",
  });
  const admin = await ensureDemoAdmin(ownerUrl, demo.tenantId, DATA);
  const mail = await startMailCatcher({ smtpPort: MAIL_SMTP_PORT, webPort: MAIL_WEB_PORT });
  console.log(`• mail catcher: SMTP ${mail.smtpUrl}, messages at ${mail.webUrl}`);

  // Product analytics: logged by the Worker by default (no keys needed). Keys in the
  // environment are passed on; PREP_ANALYTICS_LOOPBACK=1 sends to local stand-ins of Segment
  // and Amplitude instead (test/analytics-server.ts; what they kept: /__fake/received?groupId=).
  const analyticsVars: string[] = [];
  const analyticsLoopback = process.env.PREP_ANALYTICS_LOOPBACK === "1" ? await startAnalyticsFake() : null;
  if (analyticsLoopback) {
    Object.assign(process.env, {
      SEGMENT_WRITE_KEY: process.env.SEGMENT_WRITE_KEY || "local-segment-write-key",
      SEGMENT_API_URL: `${analyticsLoopback.url}/v1/batch`,
      AMPLITUDE_API_KEY: process.env.AMPLITUDE_API_KEY || "local-amplitude-api-key",
      AMPLITUDE_API_URL: `${analyticsLoopback.url}/2/httpapi`,
      // A fresh key per run: nothing here is compared across runs.
      ANALYTICS_HMAC_KEY: process.env.ANALYTICS_HMAC_KEY || randomBytes(32).toString("base64url"),
    });
  }
  for (const name of [
    "SEGMENT_WRITE_KEY",
    "SEGMENT_API_URL",
    "AMPLITUDE_API_KEY",
    "AMPLITUDE_API_URL",
    "ANALYTICS_HMAC_KEY",
  ]) {
    const value = process.env[name];
    if (value) analyticsVars.push("--var", `${name}:${value}`);
  }
  console.log(
    `• product analytics: ${
      analyticsLoopback
        ? `loopback Segment and Amplitude at ${analyticsLoopback.url}`
        : analyticsVars.length > 0
          ? "sent with the keys in the environment"
          : "logged locally (no keys)"
    }`,
  );

  // SMS: a loopback Twilio (test/twilio-server.ts) unless TWILIO_* in the environment name a
  // real account. Texts it received: <url>/__fake/messages (verification codes are there).
  const twilioLoopback = process.env.TWILIO_ACCOUNT_SID ? null : await startTwilioFake();
  const twilioVars = Object.entries(
    twilioLoopback
      ? fakeTwilioVars(twilioLoopback.url)
      : {
          TWILIO_ACCOUNT_SID: process.env.TWILIO_ACCOUNT_SID ?? "",
          TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN ?? "",
          TWILIO_FROM: process.env.TWILIO_FROM ?? "",
        },
  ).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  console.log(
    `• SMS: ${twilioLoopback ? `loopback Twilio at ${twilioLoopback.url}, texts sent at ${twilioLoopback.url}/__fake/messages` : "Twilio with TWILIO_* from the environment"}`,
  );

  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.pid) killTree(child.pid);
    await Promise.all(children.map(exited));
    await analyticsLoopback?.close();
    await twilioLoopback?.close();
    await mail.stop();
    await database.stop();
    rmSync(RUNTIME, { force: true });
    console.log("Prep stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const url = `http://localhost:${PORT}`;
  writeFileSync(
    RUNTIME,
    JSON.stringify({ databaseUrl: ownerUrl, url, mailUrl: mail.webUrl, pid: process.pid }, null, 2),
  );

  const web = spawn(
    bin("vite"),
    ["build", "--config", "web/vite.config.ts", "--watch", "--logLevel", "warn"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  children.push(web);
  const webOut = outputFilter((text) => process.stdout.write(text));
  const webErr = outputFilter((text) => process.stderr.write(text));
  web.stdout?.on("data", (chunk: Buffer) => webOut.push(chunk));
  web.stderr?.on("data", (chunk: Buffer) => webErr.push(chunk));
  web.on("exit", () => {
    webOut.flush();
    webErr.flush();
  });
  // Regulatory change (issue 20): the signed dataset bundle in the local R2 bucket, its key pinned.
  const wranglerState = CUSTOM_DATA_DIR ? resolve(CUSTOM_DATA_DIR, "wrangler") : undefined;
  const bundleKey = await publishLocalBundle(DATA, wranglerState);
  console.log("• datasets published as a signed bundle: r2:bundles/latest (local bucket)");
  const wrangler = spawn(
    bin("wrangler"),
    [
      "dev",
      "--port",
      String(PORT),
      "--ip",
      "127.0.0.1",
      "--var",
      `SESSION_SECRET:${localSessionSecret(DATA)}`,
      "--var",
      `DATABASE_URL:${database.workerUrl}`,
      "--var",
      `DB_WS_PROXY:${database.wsProxy}`,
      "--var",
      `MAIL_URL:${mail.smtpUrl}`,
      // Evidence manifests are signed with a local key (kept in the data directory).
      "--var",
      `SIGNING_KEYS:${localSigningKeys(DATA)}`,
      ...analyticsVars,
      ...twilioVars,
      "--var",
      `DATASET_BUNDLE_PUBLIC_KEY:${JSON.stringify(bundleKey)}`,
      "--show-interactive-dev-session=false",
      // A data directory of its own (the smoke test's) keeps workerd's local state with it.
      ...(CUSTOM_DATA_DIR ? ["--persist-to", resolve(CUSTOM_DATA_DIR, "wrangler")] : []),
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  children.push(wrangler);
  let seeding = false;
  const stdout = outputFilter(
    (text) => process.stdout.write(text),
    () => seeding,
  );
  const stderr = outputFilter((text) => process.stderr.write(text));
  let announced = false;
  wrangler.stdout?.on("data", (chunk: Buffer) => {
    stdout.push(chunk);
    if (!announced && /Ready on/.test(chunk.toString())) {
      announced = true;
      void announce(
        url,
        mail.webUrl,
        twilioLoopback && `${twilioLoopback.url}/__fake/messages`,
        demo,
        admin,
        options,
        (on) => {
          seeding = on;
        },
      ).catch((error) => console.warn(`  Warning: demo data: ${(error as Error).message}`));
    }
  });
  wrangler.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  wrangler.on("exit", (code) => {
    stdout.flush();
    stderr.flush();
    if (!stopping) {
      console.error(`wrangler dev exited (${code ?? "signal"}); stopping.`);
      void stop(code ?? 1);
    }
  });
}

/** Seeds the demo data when due, then prints how to use what is running. */
async function announce(
  url: string,
  mailUrl: string,
  smsUrl: string | null,
  demo: DemoCredentials,
  admin: { email: string; password: string },
  options: { empty: boolean; resetDemo: boolean },
  setSeeding: (on: boolean) => void,
) {
  let demoLine: string;
  const warnings: string[] = [];
  const seeded = demoSeeded(DATA, demo.tenantId);
  if (options.empty) {
    demoLine = "none seeded (--empty); npm start seeds them on a run without --empty";
  } else if (seeded) {
    demoLine = `seeded on ${seeded.seededAt.slice(0, 10)}: ${seeded.summary}; npm start -- --reset-demo wipes and re-seeds them`;
  } else {
    console.log("• seeding the demo tenant's locations through the API…");
    setSeeding(true);
    try {
      // wrangler listens on 127.0.0.1 only; "localhost" may resolve to ::1 first.
      const result = await seedDemoTenant(url.replace("localhost", "127.0.0.1"), demo, DATA);
      warnings.push(...result.warnings);
      demoLine = `${result.seeded ? "seeded " : ""}${result.summary}; npm start -- --reset-demo wipes and re-seeds them`;
    } catch (error) {
      warnings.push(`seeding failed: ${(error as Error).message}`);
      demoLine = "not seeded (see the warning above); npm start -- --reset-demo tries again";
    } finally {
      // Its last request lines may still be on their way.
      setTimeout(() => setSeeding(false), 500);
    }
  }
  for (const warning of warnings) console.warn(`  Warning: demo data: ${warning}`);
  console.log(
    [
      "",
      `  Prep is running at ${url}`,
      `  API reference:  ${url}/docs`,
      `  Demo tenant:    ${demo.tenantId}`,
      `  Demo API key:   ${demo.apiKey}`,
      `  Demo data:      ${demoLine}`,
      `  Web app:        ${url} — sign in as ${admin.email} / ${admin.password}`,
      `  Mail catcher:   ${mailUrl} — every email Prep sends (sign-up links, password resets, invites)`,
      ...(smsUrl
        ? [`  SMS (Twilio):   ${smsUrl} — every text Prep sends (phone verification codes, alerts)`]
        : []),
      `  Try:            curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/v1/me`,
      `  Cron jobs:      not run on their schedule locally; run the hourly one with curl "${url}/cdn-cgi/local/scheduled?cron=0+*+*+*+*"`,
      `                  and the nightly refresh with curl "${url}/cdn-cgi/local/scheduled?cron=0+2+*+*+*"`,
      "  Stop:           Ctrl-C",
      "",
    ].join("\n"),
  );
}

/** Children run in their own process groups so one signal reaches everything they started. */
function killTree(pid: number, signal: NodeJS.Signals = "SIGTERM") {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Resolves once every process in the child's group is gone: wrangler exits before the
 * workerd and esbuild processes it started do. What is left after 10 s is killed.
 */
async function exited(child: ChildProcess): Promise<void> {
  const group = child.pid;
  if (!group) return;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 10_000;
  while (alive()) {
    if (Date.now() > deadline) {
      killTree(group, "SIGKILL");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
