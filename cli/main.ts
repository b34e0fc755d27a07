/**
 * `prep` — the operator CLI: tenants, API keys and the database.
 *
 *   prep tenant create --name <name> [--mode live|test] [--plan P --states CA,TX] (no plan: a 14-day trial)
 *   prep plan set --tenant <tenantId> --plan P [--states CA,TX], prep billing sync (cli/billing.ts)
 *   prep key create --tenant <tenantId> [--name <name>] [--scopes a,b] [--mode live|test]
 *   prep key revoke <keyId>
 *   prep db migrate
 *   prep admin create --email <email> | prep admin revoke --email <email>
 *   prep data refresh|diff|validate|source|impact … (cli/data.ts)
 *   prep audit verify (cli/audit.ts)
 *   prep evidence verify <folder-or-zip>, prep signing-key new (cli/evidence.ts)
 *   prep analytics status|requeue (cli/analytics.ts)
 *   prep partner create|rotate-secret|revoke-client (cli/partner.ts)
 *
 * Output is JSON on stdout; errors are one clear line on stderr and a non-zero exit.
 */
import { parseArgs } from "node:util";
import {
  API_KEY_SCOPES,
  type ApiKeyMode,
  type ApiKeyScope,
  createApiKey,
  findApiKeyTenant,
  revokeApiKey,
} from "../db/api-keys";
import { DatabaseUnavailableError, withTenant } from "../db/client";
import { prepareDatabase } from "../db/local/prepare";
import { createTenant } from "../db/tenants";
import { adminCommand } from "./admin";
import { ANALYTICS_USAGE, analyticsCommand } from "./analytics";
import { AUDIT_USAGE, AuditChainBrokenError, auditCommand } from "./audit";
import { BILLING_USAGE, billingCommand, parsePlan, parseStates, planCommand } from "./billing";
import { DATA_USAGE, dataCommand } from "./data";
import { EVIDENCE_USAGE, EvidenceVerificationError, evidenceCommand, signingKeyCommand } from "./evidence";
import { PARTNER_USAGE, partnerCommand } from "./partner";
import { NoDatabaseError, resolveDatabaseUrl } from "./runtime";
import { print, UsageError, withDatabase } from "./shared";

export { UsageError };

const USAGE = `Usage:
  prep tenant create --name <name> [--mode live|test] [--plan starter|growth|enterprise] [--states CA,TX]
                                           without --plan: a 14-day trial of every state and feature
${BILLING_USAGE}
  prep key create --tenant <tenantId> [--name <name>] [--scopes checks:write,facilities:read] [--mode live|test]
  prep key revoke <keyId>
  prep db migrate
  prep admin create --email <email>        a platform admin; prints its prep_admin_ key once
  prep admin revoke --email <email>
${DATA_USAGE}
${AUDIT_USAGE}
${EVIDENCE_USAGE}
${ANALYTICS_USAGE}
${PARTNER_USAGE}

Uses DATABASE_URL, or the embedded database while \`npm start\` runs.
Scopes: ${API_KEY_SCOPES.join(", ")}`;

function parseMode(value: string | undefined): ApiKeyMode {
  const mode = value ?? (process.env.PREP_KEY_MODE === "live" ? "live" : "test");
  if (mode !== "live" && mode !== "test") throw new UsageError(`--mode must be live or test, not "${mode}"`);
  return mode;
}

function parseScopes(value: string | undefined): ApiKeyScope[] {
  if (!value) return [...API_KEY_SCOPES];
  const scopes = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new UsageError(
      `unknown scope(s): ${unknown.join(", ") || "(none given)"}. Valid: ${API_KEY_SCOPES.join(", ")}`,
    );
  }
  return scopes as ApiKeyScope[];
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      tenant: { type: "string" },
      scopes: { type: "string" },
      mode: { type: "string" },
      email: { type: "string" },
      plan: { type: "string" },
      states: { type: "string" },
      jurisdiction: { type: "string", multiple: true },
      from: { type: "string" },
      to: { type: "string" },
      "from-dir": { type: "string" },
      "to-dir": { type: "string" },
      "as-of": { type: "string" },
      format: { type: "string" },
      url: { type: "string" },
      untrusted: { type: "boolean" },
      // Evidence vault: `evidence verify --jwks`, `signing-key new --purpose --kid`.
      jwks: { type: "string" },
      purpose: { type: "string" },
      kid: { type: "string" },
      event: { type: "string" },
      // prep data impact (issue 20)
      dataset: { type: "string" },
      // prep partner (ADR 0023)
      "redirect-uri": { type: "string", multiple: true },
      client: { type: "string" },
      "overlap-hours": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [noun, verb, target] = positionals;
  if (values.help || !noun) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = `${noun} ${verb ?? ""}`.trim();
  switch (command) {
    case "tenant create": {
      if (!values.name?.trim()) throw new UsageError("tenant create needs --name <name>");
      const name = values.name.trim();
      const mode = parseMode(values.mode);
      if (values.states !== undefined && values.plan === undefined) {
        throw new UsageError("--states needs --plan (a trial covers every state)");
      }
      const billing =
        values.plan === undefined
          ? undefined
          : { plan: parsePlan(values.plan), states: parseStates(values.states) };
      const created = await withDatabase((db) =>
        createTenant(db, { name, mode, actor: "cli", ...(billing ? { billing } : {}) }),
      );
      print({
        tenantId: created.tenantId,
        name: created.name,
        plan: billing
          ? { id: billing.plan, states: billing.states, status: "active" }
          : { status: "trialing" },
        apiKey: created.apiKey.key,
        apiKeyId: created.apiKey.id,
        scopes: created.apiKey.scopes,
      });
      return;
    }
    case "key create": {
      const tenantId = values.tenant;
      if (!tenantId) throw new UsageError("key create needs --tenant <tenantId>");
      const scopes = parseScopes(values.scopes);
      const mode = parseMode(values.mode);
      const key = await withDatabase((db) =>
        withTenant(db, tenantId, async (tx) => {
          const exists = await tx.execute("select 1 from tenants");
          if (exists.rows.length === 0) throw new UsageError(`no tenant ${tenantId}`);
          return createApiKey(tx, { tenantId, name: values.name ?? "CLI key", mode, scopes });
        }),
      );
      print({ apiKeyId: key.id, apiKey: key.key, tenantId, scopes: key.scopes, mode: key.mode });
      return;
    }
    case "key revoke": {
      if (!target) throw new UsageError("key revoke needs a key id: prep key revoke key_…");
      await withDatabase(async (db) => {
        const tenantId = await findApiKeyTenant(db, target);
        if (!tenantId || !(await withTenant(db, tenantId, (tx) => revokeApiKey(tx, target)))) {
          throw new UsageError(`no API key ${target}`);
        }
      });
      print({ apiKeyId: target, revoked: true, effectiveWithinSeconds: 60 });
      return;
    }
    case "db migrate": {
      await prepareDatabase(resolveDatabaseUrl());
      print({ migrated: true });
      return;
    }
    default:
      if (noun === "admin" && verb) return adminCommand(verb, values);
      if (noun === "plan" && verb) return planCommand(verb, values);
      if (noun === "billing" && verb) return billingCommand(verb);
      if (noun === "data" && verb) return dataCommand(verb, values, positionals.slice(2));
      if (noun === "audit" && verb) return auditCommand(verb);
      if (noun === "evidence" && verb) return evidenceCommand(verb, values, positionals.slice(2));
      if (noun === "signing-key" && verb) return signingKeyCommand(verb, values);
      if (noun === "analytics" && verb) return analyticsCommand(verb, values);
      if (noun === "partner" && verb) return partnerCommand(verb, values);
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    await run(argv);
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof NoDatabaseError ||
      error instanceof DatabaseUnavailableError ||
      error instanceof AuditChainBrokenError ||
      error instanceof EvidenceVerificationError
    ) {
      process.stderr.write(`prep: ${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`prep: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`prep: unexpected error: ${(error as Error).message}\n`);
    return 1;
  }
}
