/**
 * Tenants: creating one with its first API key (sign-up, the operator CLI, the demo seed).
 */
import { type ApiKeyMode, type ApiKeyScope, API_KEY_SCOPES, type CreatedApiKey, createApiKey } from "./api-keys";
import { type Database, withTenant } from "./client";
import { newId } from "./ids";
import { auditLog, tenants } from "./schema";

export interface CreatedTenant {
  tenantId: string;
  name: string;
  apiKey: CreatedApiKey;
}

export async function createTenant(
  db: Database,
  input: { name: string; mode: ApiKeyMode; actor: string; scopes?: readonly ApiKeyScope[] },
): Promise<CreatedTenant> {
  const tenantId = newId("ten");
  return withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name: input.name });
    const apiKey = await createApiKey(tx, {
      tenantId,
      name: "Default key",
      mode: input.mode,
      scopes: input.scopes ?? API_KEY_SCOPES,
    });
    await tx.insert(auditLog).values({
      id: newId("aud"),
      tenantId,
      actor: input.actor,
      action: "tenant.created",
      target: tenantId,
      detail: { name: input.name, apiKeyId: apiKey.id },
    });
    return { tenantId, name: input.name, apiKey };
  });
}
