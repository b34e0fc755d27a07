/**
 * Outbound webhooks per the Standard Webhooks spec, signed with the `standardwebhooks`
 * package: endpoint secrets (`whsec_…`), the signed request, the retry schedule. Pure apart
 * from the random source of new secrets; the tenant object sends what this builds.
 */
import { Webhook } from "standardwebhooks";
import type { NotificationEvent } from "./events";

/** 24 random bytes, base64, prefixed as the spec's reference libraries expect. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** How long a rotated-out secret still signs (and so still verifies) unless the caller says otherwise. */
export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** The longest overlap a rotation may ask for. */
export const MAX_ROTATION_OVERLAP_MS = 7 * 86_400_000;

/** A secret an endpoint signs with; `expiresMs` null = current. */
export interface EndpointSecret {
  secret: string;
  expiresMs: number | null;
}

/** The secrets that sign at `nowMs`: the current one first, then those still overlapping. */
export function signingSecrets(secrets: readonly EndpointSecret[], nowMs: number): string[] {
  return [...secrets]
    .filter((s) => s.expiresMs === null || s.expiresMs > nowMs)
    .sort((a, b) => (a.expiresMs === null ? -1 : b.expiresMs === null ? 1 : b.expiresMs - a.expiresMs))
    .map((s) => s.secret);
}

/** The body of every delivery: `{ type, timestamp, data }` (the fixed interface). */
export function webhookBody(event: Pick<NotificationEvent, "type" | "timestamp" | "data">): string {
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
}

/**
 * The Standard Webhooks headers for one attempt: `webhook-id` (the delivery's id: the same on
 * every retry and replay, so a receiver can drop a duplicate), `webhook-timestamp` (this
 * attempt, seconds) and `webhook-signature` — one `v1,…` per signing secret, space-separated,
 * so during a rotation a receiver holding either secret verifies.
 */
export function signedHeaders(input: {
  messageId: string;
  body: string;
  secrets: readonly string[];
  sentAt: Date;
}): Record<string, string> {
  if (input.secrets.length === 0) throw new Error("an endpoint needs a secret to sign with");
  const signature = input.secrets
    .map((secret) => new Webhook(secret).sign(input.messageId, input.sentAt, input.body))
    .join(" ");
  return {
    "content-type": "application/json",
    "user-agent": "Prep-Webhooks/1",
    "webhook-id": input.messageId,
    "webhook-timestamp": String(Math.floor(input.sentAt.getTime() / 1000)),
    "webhook-signature": signature,
  };
}
