/**
 * Schemas of the partner API (/v1/partner/…, ADR 0023) and of owners' grant routes.
 */
import * as v from "valibot";
import { US_STATES } from "../../../billing/catalog";
import { EmailSchema, idSchema, NameSchema, pageOf, paginationQuery } from "../../http/schemas";
import { UrlSchema } from "../webhooks/schemas";

export const OnboardTenantSchema = v.object({
  name: NameSchema,
  ownerEmail: EmailSchema,
  /** Where the business operates (USPS codes); recorded with the link, shown to the owner. */
  states: v.optional(v.pipe(v.array(v.picklist(US_STATES, "must be a USPS state code")), v.maxLength(60))),
});

export const GRANT_STATUSES = ["invited", "active"] as const;

export const PartnerTenantSchema = v.object({
  /** The tenant's id (`ten_…`). */
  id: v.string(),
  /** The business's name; null while the invitation is pending for a tenant the partner did not create. */
  name: v.nullable(v.string()),
  /** `invited`: the owner has not consented yet (nothing else is visible); `active`: `scopes` apply. */
  status: v.picklist(GRANT_STATUSES),
  grantId: v.string(),
  /** What the owner granted (or, while invited, what the partner asked for). */
  scopes: v.array(v.string()),
  linkedAt: v.string(),
  consentedAt: v.nullable(v.string()),
});

export const OnboardedTenantSchema = v.object({
  ...PartnerTenantSchema.entries,
  ownerEmail: v.string(),
  states: v.array(v.string()),
  /** The invitation went by email to the owner. */
  invitationSent: v.literal(true),
});

export const PartnerTenantsQuery = v.object(paginationQuery("pgr", 50));
export const PartnerTenantPageSchema = pageOf(PartnerTenantSchema);

export const PartnerTenantParams = v.object({ tenantId: idSchema("ten", "must be a tenant id (ten_…)") });

/** Partner endpoints receive their linked businesses' status changes (issue 21 item 4). */
export const PARTNER_WEBHOOK_EVENTS = ["facility.status_changed"] as const;

export const CreatePartnerWebhookSchema = v.object({
  url: UrlSchema,
  events: v.optional(v.pipe(v.array(v.picklist(PARTNER_WEBHOOK_EVENTS)), v.minLength(1)), [
    ...PARTNER_WEBHOOK_EVENTS,
  ]),
});

export const PartnerWebhookSchema = v.object({
  id: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  createdAt: v.string(),
});

export const PartnerWebhookParams = v.object({ id: idSchema("pwh", "must be a partner webhook id (pwh_…)") });
