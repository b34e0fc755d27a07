/**
 * Test helpers for partners (ADR 0023): a partner with its OAuth client, straight in the
 * database as `prep partner create` makes it, and access tokens from POST /oauth/token.
 */
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { asPlatform } from "../db/client";
import { createPartner, type PartnerScope } from "../db/partners";
import { call, workerDb } from "./helpers";
import { nonce } from "./pipeline";

export const PARTNER_REDIRECT = "https://marketplace.example/prep/callback";

export async function newPartner(options: { scopes?: readonly PartnerScope[]; name?: string } = {}) {
  const handle = workerDb();
  try {
    return await createPartner(
      handle.db,
      {
        name: options.name ?? `Kitchen Market ${nonce()}`,
        redirectUris: [PARTNER_REDIRECT],
        ...(options.scopes ? { scopes: options.scopes } : {}),
      },
      "test",
    );
  } finally {
    await handle.close();
  }
}

export const basic = (clientId: string, secret: string) =>
  `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`;

/** POST /oauth/token with a form body; Basic auth when `auth` is given. */
export function tokenRequest(
  form: Record<string, string>,
  auth?: string,
  headers: Record<string, string> = {},
) {
  return call("/oauth/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(auth ? { authorization: auth } : {}),
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** A client-credentials access token for the partner (every scope of its client unless `scope`). */
export async function partnerToken(
  partner: { clientId: string; clientSecret: string },
  scope?: string,
): Promise<string> {
  const response = await tokenRequest(
    { grant_type: "client_credentials", ...(scope ? { scope } : {}) },
    basic(partner.clientId, partner.clientSecret),
  );
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Calls the partner API with a bearer access token. */
export const asPartner = (token: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
  call(path, {
    ...init,
    headers: { ...Object.fromEntries(new Headers(init.headers)), authorization: `Bearer ${token}` },
  });

/** Consents to every invited grant of the partner, straight in the database (as its owners would). */
export async function activateGrants(partnerId: string): Promise<void> {
  const handle = workerDb();
  try {
    await asPlatform(handle.db, (tx) =>
      tx.execute(
        sql`UPDATE partner_grants SET status = 'active', consented_at = now() WHERE partner_id = ${partnerId} AND status = 'invited'`,
      ),
    );
  } finally {
    await handle.close();
  }
}

/** How many grants the partner holds (a refused onboarding must create none). */
export async function partnerGrantCount(partnerId: string): Promise<string> {
  const handle = workerDb();
  try {
    const result = await asPlatform(handle.db, (tx) =>
      tx.execute(sql`SELECT count(*)::text AS n FROM partner_grants WHERE partner_id = ${partnerId}`),
    );
    return `grants: ${(result.rows[0] as { n: string }).n}`;
  } finally {
    await handle.close();
  }
}
