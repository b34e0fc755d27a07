/**
 * The Worker's bindings and variables (wrangler.toml, secrets), also declared as
 * `Cloudflare.Env` so `cloudflare:workers` and `cloudflare:test` see them.
 */
import type { TenantObject } from "../durable-objects/tenant-object";
import type { RuntimeEnv } from "../runtime/env";

export interface Env extends RuntimeEnv {
  TENANT: DurableObjectNamespace<TenantObject>;
  ASSETS: Fetcher;
  /**
   * What the hot path reads instead of Postgres (runtime/edge-store.ts): key observations and
   * the active datasets' snapshot, so checks survive a cold isolate in a database outage.
   */
  EDGE_STORE: KVNamespace;
  /** Per-API-key request limit (Workers Rate Limiting binding). */
  API_RATE_LIMIT: RateLimit;
  /** Sign-in attempts per email and IP; sign-up and invite attempts per IP (Workers Rate Limiting binding). */
  LOGIN_RATE_LIMIT: RateLimit;
  /** Sign-in, sign-up and invite attempts per client IP, across every email (Workers Rate Limiting binding). */
  LOGIN_IP_RATE_LIMIT: RateLimit;
  /** Sign-in and sign-up attempts per email, and invite attempts per invite, across every IP (Workers Rate Limiting binding). */
  LOGIN_ACCOUNT_RATE_LIMIT: RateLimit;
  /** Signs session cookies (HS256); a secret of at least 32 characters. Never in wrangler.toml. */
  SESSION_SECRET: string;
  /** Which keys this deployment accepts: `live` in production, `test` elsewhere. */
  API_KEY_MODE: "live" | "test";
  /** Meter shards per tenant: a default and overrides, e.g. `"1,ten_…=8"` (docs/tenant-object.md). */
  METER_SHARDS?: string;
  /**
   * `continent`: checks without an Idempotency-Key are metered in a shard near the caller
   * (`request.cf.continent`, ADR 0025); anything else: at home. Reads merge every shard either way.
   */
  METER_REGIONS?: string;
  /** Where freshness-SLO incidents go (PagerDuty Events API v2 enqueue URL); empty = log only. */
  INCIDENT_WEBHOOK_URL: string;
  /** The PagerDuty integration's routing key (a secret). */
  INCIDENT_ROUTING_KEY?: string;
  /**
   * Source watchers (pipeline/watchers.ts): `off` (development, tests by default), `on` (the
   * official URLs) or an http(s) origin every source is fetched through (loopback servers).
   */
  SOURCE_WATCHERS?: string;
  /** How a source's operator reaches Prep (email or URL), in the watchers' User-Agent. */
  SOURCE_WATCHERS_CONTACT?: string;
  /** Legistar Web API tokens as JSON, client → token, e.g. `{"nyc":"…"}` (a secret). */
  LEGISTAR_TOKENS?: string;
  /**
   * Where email goes (runtime/mail/delivery.ts): `smtp://host:port` (the local mail
   * catcher) or `smtps://user:password@host:465` (a provider; a secret). Unset: dropped, logged.
   */
  MAIL_URL?: string;
  /** The From address of Prep's email, e.g. `Prep <no-reply@prep.dev>`. */
  MAIL_FROM?: string;
  /** Stripe's secret API key; without it billing runs in local mode (docs/billing.md). */
  STRIPE_SECRET_KEY?: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Tests and local tooling only: where the Stripe SDK sends requests (e.g. `http://127.0.0.1:4100`). */
  STRIPE_API_BASE?: string;
  /** Where Checkout and the Customer Portal send the browser back (the web app's origin). */
  APP_ORIGIN?: string;
  /** The Analytics Engine dataset METRICS writes to, for the SLO job's SQL queries (wrangler.toml). */
  METRICS_DATASET?: string;
  /** Cloudflare account whose Analytics Engine SQL API the SLO job queries. */
  ANALYTICS_ACCOUNT_ID?: string;
  /** API token with Account Analytics: Read (a secret). */
  ANALYTICS_API_TOKEN?: string;
  // Evidence vault (docs/evidence.md).
  /** Evidence exports' files (R2; Miniflare's locally). */
  EVIDENCE_BUCKET: R2Bucket;
  /**
   * Ed25519 signing keys as a JSON array of JWKs with `kid` and `purpose` (a secret;
   * runtime/signing-keys.ts). `npm start` and the tests generate one per run.
   */
  SIGNING_KEYS?: string;
  // Regulatory change (issue 20): the published, signed dataset bundles (pipeline/bundle.ts).
  /** The bucket compliance-data CI publishes signed dataset bundles to (R2; Miniflare locally). */
  DATASET_BUNDLES?: R2Bucket;
  /** The pinned Ed25519 public key (JWK JSON) bundles must be signed with; empty: none verifies. */
  DATASET_BUNDLE_PUBLIC_KEY?: string;
}

type PrepEnv = Env;

declare global {
  namespace Cloudflare {
    interface Env extends PrepEnv {
      /** Tests only: the owner connection, for assertions that must bypass the app role. */
      OWNER_DATABASE_URL?: string;
      /** Tests only: which engine the suite runs against. */
      DATABASE_KIND?: "postgres" | "pglite";
    }
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "TenantObject";
    }
  }
}
