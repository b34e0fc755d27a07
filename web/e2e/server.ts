/**
 * The app as users get it, for browser tests: the web app built (into a directory of this
 * server's own, handed to `wrangler dev --assets`, so test files running side by side never
 * rebuild each other's assets and web/dist is left alone), and the Worker under `wrangler dev`
 * (a real workerd, loopback only) serving it and the API with wrangler.toml's [assets] rules,
 * with a migrated database behind the same WebSocket bridge `npm start` uses, and a mail
 * catcher the Worker sends its email to (tests read it: test/mail.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { freePort } from "../../db/local/free-port";
import { startMailCatcher } from "../../db/local/mail-catcher";
import { startLocalDatabase } from "../../db/local/stack";
import { devSigningKeys } from "../../scripts/dev-signing-keys";
import { fakeTwilioVars, startTwilioFake } from "../../test/twilio-server";

const ROOT = resolve(import.meta.dirname, "../..");

export interface AppServer {
  url: string;
  ownerDatabaseUrl: string;
  /** The mail catcher's web page and REST API. */
  mailUrl: string;
  /** The loopback Twilio (test/twilio-server.ts): texts sent, `/__fake/messages?to=`. */
  twilioUrl: string;
  stop(): Promise<void>;
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`wrangler dev not ready after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on/.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`wrangler dev exited (${code}):\n${output}`));
    });
  });
}

/**
 * Runs `body` while holding a lock shared by every test process on this machine: test files
 * sharing one DATABASE_URL must not migrate it at the same time. A lock older than two
 * minutes is a crashed run's, and is taken over.
 */
async function withMachineLock<T>(name: string, body: () => Promise<T>): Promise<T> {
  const lock = join(
    tmpdir(),
    `prep-e2e-${createHash("sha256").update(name).digest("hex").slice(0, 16)}.lock`,
  );
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function startAppServer(): Promise<AppServer> {
  const databaseUrl = process.env.DATABASE_URL;
  const database = databaseUrl
    ? await withMachineLock(databaseUrl, () => startLocalDatabase({ databaseUrl }))
    : await startLocalDatabase({});
  const state = mkdtempSync(join(tmpdir(), "prep-e2e-"));
  const assets = join(state, "assets");
  await build({
    configFile: resolve(ROOT, "web/vite.config.ts"),
    logLevel: "warn",
    build: { outDir: assets, emptyOutDir: true },
  });

  const mail = await startMailCatcher();
  const twilio = await startTwilioFake();
  const port = await freePort();
  const wrangler = spawn(
    resolve(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      ...[
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--persist-to",
        join(state, "wrangler"),
        "--assets",
        assets,
        "--inspector-port",
        String(await freePort()),
      ],
      ...["--var", `DATABASE_URL:${database.workerUrl}`, "--var", `DB_WS_PROXY:${database.wsProxy}`],
      ...["--var", `MAIL_URL:${mail.smtpUrl}`],
      ...Object.entries(fakeTwilioVars(twilio.url)).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      // Evidence manifests are signed with a key made for this run.
      ...["--var", `SIGNING_KEYS:${devSigningKeys("evidence-e2e")}`],
      ...[
        "--var",
        `SESSION_SECRET:${randomBytes(32).toString("base64url")}`,
        "--show-interactive-dev-session=false",
      ],
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  const stop = async () => {
    if (wrangler.pid && wrangler.exitCode === null) {
      const exited = new Promise((done) => wrangler.once("exit", done));
      process.kill(-wrangler.pid, "SIGTERM");
      await exited;
    }
    await mail.stop();
    await twilio.close();
    await database.stop();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForReady(wrangler, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    ownerDatabaseUrl: database.ownerUrl,
    mailUrl: mail.webUrl,
    twilioUrl: twilio.url,
    stop,
  };
}
