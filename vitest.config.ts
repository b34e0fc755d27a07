// Three test projects, all run by `npm test`:
// - workerd: everything under **/*.test.ts runs inside workerd (@cloudflare/vitest-plugin)
//   against a real database; see test/global-setup.ts.
// - workerd-serial: the cron triggers' and the database outage's tests, one file at a time, last.
// - e2e: web/e2e/**/*.e2e.test.ts run in Node and drive Chromium against the Worker under
//   `wrangler dev` (web/e2e/server.ts).
import { randomBytes } from "node:crypto";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { devSigningKeys } from "./scripts/dev-signing-keys";
import { fakeTwilioVars } from "./test/twilio-server";

/** Evidence signing keys for this run (scripts/dev-signing-keys.ts): one current, one retired. */
const SIGNING_KEYS = devSigningKeys("evidence-test");

const NOT_WORKERD = ["node_modules/**", "web/**", "dist/**", ".wrangler/**"];
/** Files that change what every test shares (all datasets, the database's availability): run alone, last. */
const SERIAL_WORKERD = ["workers/scheduled.test.ts", "test/postgres-outage.test.ts"];

/** A project whose files run inside workerd (@cloudflare/vitest-plugin) against a real database. */
function workerdProject(options: {
  name: string;
  include: string[];
  exclude: string[];
  groupOrder?: number;
  fileParallelism?: boolean;
}) {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            DATABASE_URL: inject("workerDatabaseUrl"),
            OWNER_DATABASE_URL: inject("ownerDatabaseUrl"),
            DB_WS_PROXY: inject("wsProxy"),
            DATABASE_KIND: inject("databaseKind"),
            // A fresh session-signing secret per run: never a constant anyone could reuse.
            SESSION_SECRET: randomBytes(32).toString("base64url"),
            // Email really goes over SMTP to the mail catcher; tests read it back (test/mail.ts).
            MAIL_URL: inject("mailSmtpUrl"),
            // Stripe's loopback stand-in (test/stripe-server.ts). No STRIPE_SECRET_KEY: billing
            // runs in local mode unless a test sets one (workers/routes/billing/stripe.test.ts).
            STRIPE_API_BASE: inject("stripeUrl"),
            STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64url")}`,
            // Local metrics log 5xx points only: a line per request would flood the runner.
            METRICS_LOG: "errors",
            // Evidence vault: signing keys generated for this run (one current, one retired).
            SIGNING_KEYS,
            // Product analytics go to the loopback Segment and Amplitude (test/analytics-server.ts),
            // through the production clients; a fresh pseudonymisation key per run.
            SEGMENT_WRITE_KEY: "test-segment-write-key",
            SEGMENT_API_URL: `${inject("analyticsUrl")}/v1/batch`,
            AMPLITUDE_API_KEY: "test-amplitude-api-key",
            AMPLITUDE_API_URL: `${inject("analyticsUrl")}/2/httpapi`,
            ANALYTICS_HMAC_KEY: randomBytes(32).toString("base64url"),
            // SMS goes to the loopback Twilio (test/twilio-server.ts) through the production client.
            ...fakeTwilioVars(inject("twilioUrl")),
          },
          // A lower per-key limit than production's 3,000 per 10 s, so proving the 429 path
          // takes hundreds of requests rather than thousands. Load tests use several keys.
          // The login limits are lower than production's 30 per IP and 20 per email, so
          // proving them takes fewer password hashes. Test helpers send a fresh client IP per
          // sign-up (test/sessions.ts); requests without one share the IP budget `unknown`.
          ratelimits: {
            API_RATE_LIMIT: { namespace_id: "1001", simple: { limit: 500, period: 10 } },
            LOGIN_RATE_LIMIT: { namespace_id: "1002", simple: { limit: 10, period: 60 } },
            LOGIN_IP_RATE_LIMIT: { namespace_id: "1003", simple: { limit: 15, period: 60 } },
            LOGIN_ACCOUNT_RATE_LIMIT: { namespace_id: "1004", simple: { limit: 12, period: 60 } },
          },
        },
      })),
    ],
    test: {
      name: options.name,
      globalSetup: ["./test/global-setup.ts"],
      include: options.include,
      exclude: options.exclude,
      sequence: { groupOrder: options.groupOrder ?? 0 },
      fileParallelism: options.fileParallelism ?? true,
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
}

export default defineConfig({
  test: {
    // A console line an isolate prints after its test file's environment has closed ("Closing
    // rpc while onUserConsoleLog was pending") is not a test failure: every test of the file
    // has passed or failed by then (CI saw it once, after all 1,255 had passed). Any other
    // unhandled error still fails the run.
    onUnhandledError: (error) =>
      !(error.name === "EnvironmentTeardownError" && error.message.includes("onUserConsoleLog")),
    projects: [
      workerdProject({
        name: "workerd",
        include: ["**/*.test.ts"],
        exclude: [...NOT_WORKERD, ...SERIAL_WORKERD],
      }),
      // The nightly job refreshes every dataset, including the synthetic ones other files are
      // refreshing at that moment; the outage test takes the database away from everyone.
      workerdProject({
        name: "workerd-serial",
        include: SERIAL_WORKERD,
        exclude: NOT_WORKERD,
        groupOrder: 1,
        fileParallelism: false,
      }),
      {
        test: {
          name: "e2e",
          sequence: { groupOrder: 0 },
          environment: "node",
          include: ["web/e2e/**/*.e2e.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
