/**
 * Telling a tenant's people about rule changes ahead (pipeline/rule-notices.ts decides when
 * and which notices are new): one email to each owner and admin of the tenant, through the
 * one mail delivery (services/mail/delivery.ts). Managers and viewers see the notices of
 * their locations in the app and over GET /v1/rule-changes.
 */
import type { RuleChangeNotice } from "../../compliance";
import type { Database } from "../../db/client";
import { withTenant } from "../../db/client";
import { listUsers } from "../../db/users";
import { mailDelivery } from "../../runtime/mail/delivery";
import type { Env } from "../env";
import { ruleChangeMail } from "./mail/messages";

const RECIPIENT_ROLES = new Set(["owner", "admin"]);

/**
 * The single place a rule-change notice leaves Prep. TODO(notifications): when the
 * notifications pipeline lands, this function publishes a `rule_change.ahead` event to it
 * instead (its channels and preferences then decide who hears how) — nothing else changes.
 */
export async function sendRuleChangeNotices(
  env: Env,
  db: Database,
  tenantId: string,
  notices: readonly RuleChangeNotice[],
): Promise<void> {
  if (notices.length === 0) return;
  const people = await withTenant(db, tenantId, listUsers);
  const mail = mailDelivery(env);
  for (const person of people.filter((p) => RECIPIENT_ROLES.has(p.role)))
    await mail.send(ruleChangeMail(person.email, notices));
}
