/**
 * `npm start`: the whole product on this machine with nothing installed.
 *
 * 1. PostgreSQL: DATABASE_URL if set, else embedded PGlite with data under .data/pglite.
 * 2. Migrations, the Worker's login role, the bundled datasets and a demo tenant.
 * 3. The WebSocket bridge the Worker's Neon driver reaches the database through.
 * 4. The static app (rebuilt on change) and `wrangler dev` (workerd) on :8787.
 * Ctrl-C stops everything it started.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { DATA_DIR, RUNTIME_FILE } from "../cli/runtime";
import { openNodeDatabase } from "../db/local/node-database";
import { startLocalDatabase } from "../db/local/stack";
import { createTenant } from "../db/tenants";
import { ensureDemoAdmin, localSessionSecret } from "./demo-admin";

const PORT = Number(process.env.PORT ?? 8787);
const EMBEDDED_PORT = Number(process.env.PREP_EMBEDDED_PG_PORT ?? 54329);
const ROOT = resolve(import.meta.dirname, "..");
const bin = (name: string) => resolve(ROOT, "node_modules", ".bin", name);

interface DemoCredentials {
  tenantId: string;
  apiKey: string;
}

async function ensureDemoTenant(ownerUrl: string): Promise<DemoCredentials> {
  const file = resolve(
    DATA_DIR,
    `demo-${createHash("sha256").update(ownerUrl).digest("hex").slice(0, 12)}.json`,
  );
  const handle = await openNodeDatabase(ownerUrl);
  try {
    if (existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, "utf8")) as DemoCredentials;
      const found = await handle.db.execute(sql`SELECT 1 FROM tenants WHERE id = ${saved.tenantId}`);
      if (found.rows.length > 0) return saved;
    }
    const created = await createTenant(handle.db, {
      name: "Demo Kitchen Co",
      mode: "test",
      actor: "npm start",
    });
    const demo = { tenantId: created.tenantId, apiKey: created.apiKey.key };
    writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
    return demo;
  } finally {
    await handle.close();
  }
}

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const children: ChildProcess[] = [];
  let stopping = false;

  const database = await startLocalDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: resolve(DATA_DIR, "pglite"),
    port: EMBEDDED_PORT,
  });
  const ownerUrl = database.ownerUrl;
  const host = new URL(ownerUrl).host;
  console.log(
    `• database: ${database.kind === "pglite" ? `embedded PGlite (.data/pglite) on ${host}` : `DATABASE_URL (${host})`}`,
  );
  const demo = await ensureDemoTenant(ownerUrl);
  const admin = await ensureDemoAdmin(ownerUrl, demo.tenantId);

  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.pid) killTree(child.pid);
    await database.stop();
    rmSync(RUNTIME_FILE, { force: true });
    console.log("Prep stopped.");
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const url = `http://localhost:${PORT}`;
  writeFileSync(RUNTIME_FILE, JSON.stringify({ databaseUrl: ownerUrl, url, pid: process.pid }, null, 2));

  const web = spawn(
    bin("vite"),
    ["build", "--config", "web/vite.config.ts", "--watch", "--logLevel", "warn"],
    {
      cwd: ROOT,
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
  children.push(web);
  const wrangler = spawn(
    bin("wrangler"),
    [
      "dev",
      "--port",
      String(PORT),
      "--ip",
      "127.0.0.1",
      "--var",
      `SESSION_SECRET:${localSessionSecret()}`,
      "--var",
      `DATABASE_URL:${database.workerUrl}`,
      "--var",
      `DB_WS_PROXY:${database.wsProxy}`,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  children.push(wrangler);
  let announced = false;
  wrangler.stdout?.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /Ready on/.test(chunk.toString())) {
      announced = true;
      console.log(
        [
          "",
          `  Prep is running at ${url}`,
          `  API reference:  ${url}/docs`,
          `  Demo tenant:    ${demo.tenantId}`,
          `  Demo API key:   ${demo.apiKey}`,
          `  Web app:        ${url} — sign in as ${admin.email} / ${admin.password}`,
          `  Try:            curl -H "Authorization: Bearer ${demo.apiKey}" ${url}/v1/me`,
          "  Stop:           Ctrl-C",
          "",
        ].join("\n"),
      );
    }
  });
  wrangler.on("exit", (code) => {
    if (!stopping) {
      console.error(`wrangler dev exited (${code ?? "signal"}); stopping.`);
      void stop(code ?? 1);
    }
  });
}

/** Children run in their own process groups so one signal reaches everything they started. */
function killTree(pid: number) {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
}

main().catch((error) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
