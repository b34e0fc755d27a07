/**
 * Tenants: creating one with its first API key (the operator CLI, the demo seed) or with
 * its owner (sign-up in the web app). A new tenant is a 14-day trial unless the operator
 * names its plan and states (billing/catalog.ts).
 */
import { eq } from "drizzle-orm";
import type { PlanId } from "../billing/catalog";
import {
  API_KEY_SCOPES,
  type ApiKeyMode,
  type ApiKeyScope,
  type CreatedApiKey,
  createApiKey,
} from "./api-keys";
import { recordAudit } from "./audit";
import { initialBilling } from "./billing";
import { type Database, type Tx, withTenant } from "./client";
import { newId } from "./ids";
import { tenants } from "./schema";
import { insertUser } from "./users";

export interface CreatedTenant {
  tenantId: string;
  name: string;
  apiKey: CreatedApiKey;
}

/** Inserts the tenant and its audit entry, then `work` in the same transaction (also db/partners.ts: a partner onboarding a business). */
export function withNewTenant<T>(
  db: Database,
  input: { name: string; actor: string; billing?: TenantPlan | undefined },
  work: (tx: Tx, tenantId: string) => Promise<{ result: T; detail: Record<string, unknown> }>,
): Promise<T> {
  const tenantId = newId("ten");
  const billing = initialBilling(input.billing);
  return withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name: input.name, ...billing });
    const { result, detail } = await work(tx, tenantId);
    await recordAudit(tx, {
      tenantId,
      actor: input.actor,
      action: "tenant.created",
      target: tenantId,
      detail: { name: input.name, plan: billing.plan, status: billing.billingStatus, ...detail },
    });
    return result;
  });
}

/** A plan chosen by the operator at creation (states: the plan's included ones, then add-ons). */
export interface TenantPlan {
  plan: PlanId;
  states: readonly string[];
}

export function createTenant(
  db: Database,
  input: {
    name: string;
    mode: ApiKeyMode;
    actor: string;
    scopes?: readonly ApiKeyScope[];
    /** Without it, a 14-day trial of every state and feature. */
    billing?: TenantPlan;
  },
): Promise<CreatedTenant> {
  return withNewTenant(db, input, async (tx, tenantId) => {
    const apiKey = await createApiKey(tx, {
      tenantId,
      name: "Default key",
      mode: input.mode,
      scopes: input.scopes ?? API_KEY_SCOPES,
    });
    return { result: { tenantId, name: input.name, apiKey }, detail: { apiKeyId: apiKey.id } };
  });
}

export interface TenantOwner {
  email: string;
  name: string | null;
  passwordHash: string;
}

/** Sign-up: a tenant and its first user, the owner. A taken email fails the whole transaction. */
export function createTenantWithOwner(
  db: Database,
  input: { name: string; owner: TenantOwner },
): Promise<{ tenantId: string; userId: string }> {
  return withNewTenant(db, { name: input.name, actor: "sign-up" }, async (tx, tenantId) => {
    const userId = await insertUser(tx, { tenantId, ...input.owner, role: "owner" });
    return { result: { tenantId, userId }, detail: { ownerId: userId } };
  });
}

export async function loadTenantName(tx: Tx, tenantId: string): Promise<string | null> {
  const [row] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.name ?? null;
}
