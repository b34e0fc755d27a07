/**
 * The app as users get it, for browser tests: the web app built into web/dist, and the
 * Worker under `wrangler dev` (a real workerd, loopback only) serving it and the API, with a
 * migrated database behind the same WebSocket bridge `npm start` uses.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { freePort } from "../../db/local/free-port";
import { startLocalDatabase } from "../../db/local/stack";

const ROOT = resolve(import.meta.dirname, "../..");

export interface AppServer {
  url: string;
  ownerDatabaseUrl: string;
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

export async function startAppServer(): Promise<AppServer> {
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  await build({ configFile: resolve(ROOT, "web/vite.config.ts"), logLevel: "warn" });

  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "prep-e2e-"));
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
        state,
        "--inspector-port",
        String(await freePort()),
      ],
      ...["--var", `DATABASE_URL:${database.workerUrl}`, "--var", `DB_WS_PROXY:${database.wsProxy}`],
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
    await database.stop();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitForReady(wrangler, 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, ownerDatabaseUrl: database.ownerUrl, stop };
}
