/**
 * The bindings and variables that code shared by the Worker, the tenant object and the
 * data pipeline reads. The Worker's full `Env` (workers/env.ts) extends this one; the
 * tenant object is constructed with it.
 */
export interface RuntimeEnv {
  /** Postgres connection string (a secret in staging and production). */
  DATABASE_URL: string;
  /**
   * A read replica (a secret; Neon read replica or any streaming standby). Unset locally:
   * `npm start` and most tests run on the primary alone (db/client.ts).
   */
  DATABASE_URL_REPLICA?: string;
  /** Local only: `host:port/path` of the WebSocket bridge in front of PGlite or PostgreSQL. */
  DB_WS_PROXY: string;
  PREP_ENV: "development" | "test" | "staging" | "production";
  /**
   * Workers Analytics Engine dataset for operational metrics (runtime/metrics.ts); bound in
   * staging and production only, absent locally (metrics are then logged).
   */
  METRICS?: AnalyticsEngineDataset;
  /** Local metrics only: `errors` logs 5xx points alone (the test suites set it); default every point. */
  METRICS_LOG?: string;
  // ---- Product analytics (runtime/analytics-outbox.ts, docs/tracking-plan.md) ----
  /** Segment source's write key (a secret). Unset with AMPLITUDE_API_KEY unset too: events are logged locally. */
  SEGMENT_WRITE_KEY?: string;
  /** Tests and local tooling only: where Segment's `/v1/batch` is (the loopback server). */
  SEGMENT_API_URL?: string;
  /** Amplitude project's API key (a secret). */
  AMPLITUDE_API_KEY?: string;
  /** Tests and local tooling only: where Amplitude's `/2/httpapi` is (the loopback server); or the EU endpoint. */
  AMPLITUDE_API_URL?: string;
  /** Pseudonymises user and tenant ids per tenant (a secret, 32+ characters); required with a destination. */
  ANALYTICS_HMAC_KEY?: string;
  // ---- SMS through Twilio (notifications/twilio.ts, ADR 0021) ----
  /** Twilio Account SID (`AC…`, a secret with the token). Unset: no SMS (phone verification answers 503). */
  TWILIO_ACCOUNT_SID?: string;
  /** Twilio auth token (a secret): Basic auth of API calls, and the key of `X-Twilio-Signature`. */
  TWILIO_AUTH_TOKEN?: string;
  /** The sender: an E.164 number or a Messaging Service SID (`MG…`). */
  TWILIO_FROM?: string;
  /** Tests and `npm start` only: where Twilio's API is (test/twilio-server.ts). */
  TWILIO_API_BASE?: string;
}
