/**
 * The Worker's side of evidence exports beyond one route: the request the tenant object runs
 * an export from, and the "export ready" notification of scheduled exports.
 */
import type { Database } from "../../db/client";
import { withTenant } from "../../db/client";
import type { EvidenceExport } from "../../db/evidence";
import { listUsers } from "../../db/users";
import type { ExportRequest } from "../../durable-objects/evidence-export";
import { mailDelivery } from "../../runtime/mail/delivery";
import type { Env } from "../env";
import { exportReadyMail } from "./mail/messages";

/** What TenantObject.startExport needs to build a stored export. */
export function exportRequest(row: EvidenceExport, tenantId: string): ExportRequest {
  return {
    id: row.id,
    tenantId,
    parameters: {
      facilityIds: row.facilityIds,
      allFacilities: row.allFacilities,
      from: row.from,
      to: row.to,
      trigger: row.trigger,
    },
  };
}

/**
 * Emails the tenant's owners and admins that a scheduled export is ready, with a link to the
 * Evidence page (never to the files: those need a signed-in session or a share link).
 *
 * The one place an export announces itself. When the notifications pipeline lands, this moves
 * there as the event type `export.ready` (payload: export id, period, locations) and the
 * tenant's notification preferences decide who hears of it and how.
 */
export async function notifyExportReady(
  env: Env,
  db: Database,
  tenantId: string,
  row: EvidenceExport,
): Promise<void> {
  const members = await withTenant(db, tenantId, (tx) => listUsers(tx));
  const recipients = members.filter((member) => member.role === "owner" || member.role === "admin");
  const mail = mailDelivery(env);
  const url = `${env.APP_ORIGIN || "https://prep.dev"}/evidence`;
  for (const recipient of recipients)
    await mail.send(
      exportReadyMail(
        recipient.email,
        { from: row.from, to: row.to, locations: row.facilityIds.length },
        url,
      ),
    );
}
