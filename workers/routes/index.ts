/**
 * Every route registers itself here, one file per route. After them, each known path gets
 * a 405 fallback that lists the methods it does support.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";
import { registerChangePassword } from "./account/change-password";
import { registerPlatformAuditLog } from "./admin/audit-log";
import { registerAdminBilling } from "./admin/billing";
import { registerCreateOverride } from "./admin/create-override";
import { registerDatasetDiff } from "./admin/dataset-diff";
import { registerConfigureDatasetSource } from "./admin/dataset-source";
import { registerListDatasetVersions } from "./admin/dataset-versions";
import { registerDeadLetterSummary } from "./admin/dead-letter-summary";
import { registerDecideOverride } from "./admin/decide-override";
import { registerDecideSourceChange } from "./admin/decide-source-change";
import { registerDiscardDeadLetter } from "./admin/discard-dead-letter";
import { registerGetOverride } from "./admin/get-override";
import { registerGetRefreshRun } from "./admin/get-refresh-run";
// Regulatory change (issue 20): impact preview, rule changes ahead.
import { registerImpactPreview } from "./admin/impact";
import { registerListDeadLetters } from "./admin/list-dead-letters";
import { registerListOverrides } from "./admin/list-overrides";
import { registerListReviews } from "./admin/list-reviews";
import { registerListSourceChanges } from "./admin/list-source-changes";
import { registerRequeueDeadLetter } from "./admin/requeue-dead-letter";
import { registerResolveReview } from "./admin/resolve-review";
import { registerReviewDatasetVersion } from "./admin/review-version";
import { registerRunRefresh } from "./admin/run-refresh";
import { registerSloReport } from "./admin/slo";
import { registerAcknowledgeAlert } from "./alerts/acknowledge";
import { registerListAlerts } from "./alerts/list";
import { registerAlertStream } from "./alerts/stream";
import { registerListAuditLog } from "./audit/list";
import { registerAcceptInvite } from "./auth/accept-invite";
import { registerRequestPasswordReset } from "./auth/request-password-reset";
import { registerResetPassword } from "./auth/reset-password";
import { registerSession } from "./auth/session";
import { registerSignIn } from "./auth/sign-in";
import { registerSignOut } from "./auth/sign-out";
import { registerSignUp } from "./auth/sign-up";
import { registerVerifySignUp } from "./auth/verify-sign-up";
import { registerCheckout } from "./billing/checkout";
import { registerGetBilling } from "./billing/get";
import { registerPortal } from "./billing/portal";
import { registerSetPlan } from "./billing/set-plan";
import { registerStripeWebhook } from "./billing/stripe-webhook";
import { registerCreateCheck } from "./checks/create";
import { registerGetCheck } from "./checks/get";
import { registerDocs } from "./docs/docs";
// Evidence vault (docs/evidence.md).
import { registerCreateExport } from "./exports/create";
import { registerDownloadExportFile } from "./exports/download";
import { registerDownloadExportZip } from "./exports/download-zip";
import { registerGetExport } from "./exports/get";
import { registerListExports } from "./exports/list";
import { registerDeleteExportSchedule } from "./exports/schedule-delete";
import { registerGetExportSchedule } from "./exports/schedule-get";
import { registerPutExportSchedule } from "./exports/schedule-put";
import { registerCreateShare } from "./exports/share-create";
import { registerListShares } from "./exports/share-list";
import { registerRevokeShare } from "./exports/share-revoke";
import { registerCheckFacility } from "./facilities/check";
import { registerCreateFacility } from "./facilities/create";
import { registerDeleteFacility } from "./facilities/delete";
import { registerGetFacility } from "./facilities/get";
import { registerFacilityHistory } from "./facilities/history";
import { registerListFacilities } from "./facilities/list";
import { registerUpdateFacility } from "./facilities/update";
import { registerGetFacilityVerdict } from "./facilities/verdict";
import { registerCreateGroup } from "./groups/create";
import { registerDeleteGroup } from "./groups/delete";
import { registerListGroups } from "./groups/list";
import { registerUpdateGroup } from "./groups/update";
import { registerListJurisdictions } from "./jurisdictions/list";
import { registerJurisdictionRules } from "./jurisdictions/rules";
import { registerCreateKey } from "./keys/create";
import { registerListKeys } from "./keys/list";
import { registerRevokeKey } from "./keys/revoke";
import { registerMe } from "./me/get";
// SMS (ADR 0021): the user's phone number, Twilio's status callbacks and inbound STOP/START.
import { registerAddPhone } from "./notifications/add-phone";
import { registerGetPhone } from "./notifications/get-phone";
// Notifications (ADR 0015): webhook endpoints, users' preferences, one-click unsubscribe.
import { registerGetNotificationPreferences } from "./notifications/get-preferences";
import { registerRemovePhone } from "./notifications/remove-phone";
import { registerSetNotificationPreferences } from "./notifications/set-preferences";
import { registerSmsInbound } from "./notifications/sms-inbound";
import { registerSmsStatusCallback } from "./notifications/sms-status";
import { registerUnsubscribe } from "./notifications/unsubscribe";
import { registerVerifyPhone } from "./notifications/verify-phone";
import { registerToken } from "./oauth/token";
import { registerListPartnerTenants } from "./partner/list-tenants";
import { registerOnboardTenant } from "./partner/onboard-tenant";
import { registerPartnerTenantFacilities } from "./partner/tenant-facilities";
import { registerPartnerWebhooks } from "./partner/webhooks";
import { registerPartnerConsent } from "./partner-grants/consent";
import { registerDecidePartnerGrant } from "./partner-grants/decide";
import { registerListPartnerGrants } from "./partner-grants/list";
import { registerListRenewalReminders } from "./renewal-reminders/list";
import { registerListRuleChanges } from "./rule-changes/list";
import { registerSharePages } from "./share/page";
import { registerStatus } from "./status/get";
import { registerCreateInvite } from "./team/create-invite";
import { registerListInvites } from "./team/list-invites";
import { registerListSessions } from "./team/list-sessions";
import { registerListUsers } from "./team/list-users";
import { registerRemoveUser } from "./team/remove-user";
import { registerRevokeInvite } from "./team/revoke-invite";
import { registerRevokeSession } from "./team/revoke-session";
import { registerUpdateUser } from "./team/update-user";
import { registerUsage } from "./usage/get";
import { registerCreateWebhook } from "./webhooks/create";
import { registerDeleteWebhook } from "./webhooks/delete";
import { registerGetWebhookDelivery, registerListWebhookDeliveries } from "./webhooks/deliveries";
import { registerGetWebhook } from "./webhooks/get";
import { registerListWebhooks } from "./webhooks/list";
import { registerReplayWebhookDelivery } from "./webhooks/replay";
import { registerRotateWebhookSecret } from "./webhooks/rotate-secret";
import { registerTestWebhook } from "./webhooks/test-send";
import { registerUpdateWebhook } from "./webhooks/update";
import { registerJwks } from "./well-known/jwks";

export type App = Hono<AppEnv>;

const ROUTES: ((app: App) => void)[] = [
  registerMe,
  registerListKeys,
  registerCreateKey,
  registerRevokeKey,
  registerCreateCheck,
  registerGetCheck,
  registerCreateFacility,
  registerListFacilities,
  registerGetFacility,
  registerUpdateFacility,
  registerDeleteFacility,
  registerCheckFacility,
  registerListJurisdictions,
  registerJurisdictionRules,
  registerUsage,
  registerGetBilling,
  registerSetPlan,
  registerCheckout,
  registerPortal,
  registerStripeWebhook,
  registerListAlerts,
  // Before any parameterised alert path, so /v1/alerts/stream is never read as an id.
  registerAlertStream,
  registerAcknowledgeAlert,
  registerSignUp,
  registerVerifySignUp,
  registerSignIn,
  registerSignOut,
  registerAcceptInvite,
  registerRequestPasswordReset,
  registerResetPassword,
  registerSession,
  registerChangePassword,
  registerListUsers,
  registerUpdateUser,
  registerRemoveUser,
  registerListSessions,
  registerRevokeSession,
  registerListInvites,
  registerCreateInvite,
  registerRevokeInvite,
  registerListGroups,
  registerCreateGroup,
  registerUpdateGroup,
  registerDeleteGroup,
  registerFacilityHistory,
  registerGetFacilityVerdict,
  registerStatus,
  registerRunRefresh,
  registerSloReport,
  registerGetRefreshRun,
  registerConfigureDatasetSource,
  registerListSourceChanges,
  // Source watchers' review queue (ADR 0020).
  registerListReviews,
  registerResolveReview,
  registerDecideSourceChange,
  registerListDatasetVersions,
  registerReviewDatasetVersion,
  registerDatasetDiff,
  registerCreateOverride,
  registerListOverrides,
  registerGetOverride,
  registerDecideOverride,
  registerDeadLetterSummary,
  registerAdminBilling,
  registerListDeadLetters,
  registerRequeueDeadLetter,
  registerDiscardDeadLetter,
  registerListAuditLog,
  registerPlatformAuditLog,
  // Notifications (ADR 0015).
  registerListWebhooks,
  registerCreateWebhook,
  registerGetWebhook,
  registerUpdateWebhook,
  registerDeleteWebhook,
  registerRotateWebhookSecret,
  registerTestWebhook,
  registerListWebhookDeliveries,
  registerGetWebhookDelivery,
  registerReplayWebhookDelivery,
  registerGetNotificationPreferences,
  registerSetNotificationPreferences,
  registerUnsubscribe,
  registerGetPhone,
  registerAddPhone,
  registerVerifyPhone,
  registerRemovePhone,
  registerSmsStatusCallback,
  registerSmsInbound,
  // Evidence vault: the schedule before /v1/exports/:id, so "schedule" is never read as an id.
  registerCreateExport,
  registerListExports,
  registerGetExportSchedule,
  registerPutExportSchedule,
  registerDeleteExportSchedule,
  registerGetExport,
  registerDownloadExportFile,
  registerDownloadExportZip,
  registerCreateShare,
  registerListShares,
  registerRevokeShare,
  registerSharePages,
  registerJwks,
  // Regulatory change (issue 20)
  registerImpactPreview,
  registerListRuleChanges,
  registerListRenewalReminders,
  // Partners (issue 21, ADR 0023): the token endpoint, the partner API, owners' grants and consent.
  registerToken,
  registerOnboardTenant,
  registerListPartnerTenants,
  registerPartnerTenantFacilities,
  registerPartnerWebhooks,
  registerListPartnerGrants,
  registerDecidePartnerGrant,
  registerPartnerConsent,
];

export function registerRoutes(app: App): void {
  for (const register of ROUTES) register(app);
  registerDocs(app);
  registerMethodNotAllowed(app);
}

function registerMethodNotAllowed(app: App): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL" || !route.path.startsWith("/v1/")) continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods, "OPTIONS"].join(", ");
    app.all(path, (c) => {
      throw new Problem({
        status: 405,
        code: "method_not_allowed",
        title: "Method not allowed",
        detail: `${c.req.method} is not supported on ${path}. Allowed: ${allow}.`,
        headers: { allow },
      });
    });
  }
}
