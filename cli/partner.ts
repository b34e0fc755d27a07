/**
 * `prep partner create|rotate-secret|revoke-client` — partners (kitchen marketplaces) and
 * their OAuth clients (ADR 0023). The client secret is printed once; only its SHA-256 is
 * stored. Rotation keeps the old secret valid for an overlap (default 24 h) so the partner can
 * deploy the new one first.
 */
import {
  createPartner,
  isPartnerScope,
  PARTNER_SCOPES,
  type PartnerScope,
  revokeClient,
  rotateClientSecret,
} from "../db/partners";
import { print, UsageError, withDatabase } from "./shared";

export const PARTNER_USAGE = `  prep partner create --name <name> [--scopes ${PARTNER_SCOPES.join(",")}] [--redirect-uri <https://…>]…
                                           a partner and its OAuth client; prints clientSecret once
  prep partner rotate-secret --client <pcl_…> [--overlap-hours 24]
  prep partner revoke-client --client <pcl_…>`;

const DEFAULT_OVERLAP_HOURS = 24;

function parseRedirectUris(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`--redirect-uri "${value}" is not a URL`);
    }
    // Codes travel in the redirect: only over TLS, except to this machine during development.
    const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
    if (url.protocol !== "https:" && !(local && url.protocol === "http:"))
      throw new UsageError(`--redirect-uri must be https (or http://localhost): "${value}"`);
    if (url.hash) throw new UsageError(`--redirect-uri must not have a fragment: "${value}"`);
    return url.toString();
  });
}

function parsePartnerScopes(value: string | undefined): PartnerScope[] | undefined {
  if (value === undefined) return undefined;
  const scopes = value.split(",").map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !isPartnerScope(scope));
  if (unknown.length > 0 || scopes.length === 0)
    throw new UsageError(
      `unknown partner scope(s): ${unknown.join(", ")}. Valid: ${PARTNER_SCOPES.join(", ")}`,
    );
  return scopes as PartnerScope[];
}

export async function partnerCommand(
  verb: string,
  values: {
    name?: string | undefined;
    scopes?: string | undefined;
    "redirect-uri"?: string[] | undefined;
    client?: string | undefined;
    "overlap-hours"?: string | undefined;
  },
): Promise<void> {
  switch (verb) {
    case "create": {
      const name = values.name?.trim();
      if (!name) throw new UsageError("partner create needs --name <name>");
      if (name.length > 100) throw new UsageError("--name must be at most 100 characters");
      const scopes = parsePartnerScopes(values.scopes);
      const redirectUris = parseRedirectUris(values["redirect-uri"]);
      const created = await withDatabase((db) =>
        createPartner(db, { name, redirectUris, ...(scopes ? { scopes } : {}) }, "cli"),
      );
      print({
        ...created,
        note: "clientSecret is shown once: give it to the partner over a secure channel.",
      });
      return;
    }
    case "rotate-secret": {
      const clientId = values.client;
      if (!clientId) throw new UsageError("partner rotate-secret needs --client <pcl_…>");
      const hours = Number(values["overlap-hours"] ?? DEFAULT_OVERLAP_HOURS);
      if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 30)
        throw new UsageError("--overlap-hours must be a number from 0 to 720");
      const rotated = await withDatabase((db) =>
        rotateClientSecret(db, clientId, Math.round(hours * 3600), "cli"),
      );
      if (!rotated) throw new UsageError(`no live partner client ${clientId}`);
      print({
        ...rotated,
        note: "clientSecret is shown once; the previous one works until previousSecretValidUntil.",
      });
      return;
    }
    case "revoke-client": {
      const clientId = values.client;
      if (!clientId) throw new UsageError("partner revoke-client needs --client <pcl_…>");
      if (!(await withDatabase((db) => revokeClient(db, clientId, "cli"))))
        throw new UsageError(`no live partner client ${clientId}`);
      print({ clientId, revoked: true, effectiveWithinSeconds: 30 });
      return;
    }
    default:
      throw new UsageError(`unknown command "partner ${verb}"`);
  }
}
