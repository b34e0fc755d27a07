/**
 * Every API shape the app uses, derived from the Worker's own valibot schemas
 * (workers/routes/<resource>/schemas.ts; type-only imports: nothing of the Worker ends up in
 * the bundle). Nothing here restates a shape: change the schema and the app follows.
 */
import type * as v from "valibot";
import type { FacilityInput } from "../../../compliance";
import type { ProblemSchema } from "../../../workers/http/openapi";
import type { listOf, pageOf } from "../../../workers/http/schemas";
import type { SourceReviewSchema } from "../../../workers/routes/admin/schemas";
import type { AlertSchema } from "../../../workers/routes/alerts/schemas";
import type { SessionSchema } from "../../../workers/routes/auth/schemas";
import type {
  BillingSchema,
  CheckoutAnswerSchema,
  PortalAnswerSchema,
} from "../../../workers/routes/billing/schemas";
import type { CheckResultSchema, CheckSummarySchema } from "../../../workers/routes/checks/schemas";
// Evidence vault.
import type {
  CreatedShareSchema,
  ExportSchema,
  ScheduleSchema,
  ShareLinkSchema,
} from "../../../workers/routes/exports/schemas";
import type {
  FacilityResponseSchema,
  FacilityVerdictSchema,
} from "../../../workers/routes/facilities/schemas";
import type { GroupSchema } from "../../../workers/routes/groups/schemas";
import type { CreatedKeySchema, KeySummarySchema } from "../../../workers/routes/keys/schemas";
// Notifications (ADR 0015).
import type { PhoneSchema, PreferencesSchema } from "../../../workers/routes/notifications/schemas";
import type {
  ConsentDecisionSchema,
  ConsentViewSchema,
  OwnerGrantSchema,
} from "../../../workers/routes/partner-grants/schemas";
import type { RenewalReminderSchema } from "../../../workers/routes/renewal-reminders/schemas";
import type { RuleChangeSchema } from "../../../workers/routes/rule-changes/schemas";
import type {
  CreatedInviteSchema,
  InviteSchema,
  MemberSessionSchema,
  TeamMemberSchema,
} from "../../../workers/routes/team/schemas";
import type { UsageSchema } from "../../../workers/routes/usage/schemas";
import type {
  CreatedWebhookSchema,
  DeliverySchema,
  RotatedSecretSchema,
  WebhookSchema,
} from "../../../workers/routes/webhooks/schemas";

export type { FacilityInput };
export type Alert = v.InferOutput<typeof AlertSchema>;
export type Session = v.InferOutput<typeof SessionSchema>;
export type Role = Session["user"]["role"];
export type Facility = v.InferOutput<typeof FacilityResponseSchema> & FacilityInput;
export type Status = NonNullable<Facility["status"]>;
export type CheckResult = v.InferOutput<typeof CheckResultSchema>;
export type FacilityVerdict = v.InferOutput<typeof FacilityVerdictSchema>;
export type Finding = CheckResult["findings"][number];
export type CheckSummary = v.InferOutput<typeof CheckSummarySchema>;
export type TeamMember = v.InferOutput<typeof TeamMemberSchema>;
export type Invite = v.InferOutput<typeof InviteSchema>;
export type CreatedInvite = v.InferOutput<typeof CreatedInviteSchema>;
export type MemberSession = v.InferOutput<typeof MemberSessionSchema>;
export type Group = v.InferOutput<typeof GroupSchema>;
export type KeySummary = v.InferOutput<typeof KeySummarySchema>;
export type CreatedKey = v.InferOutput<typeof CreatedKeySchema>;

type ListOf<T> = v.InferOutput<ReturnType<typeof listOf<v.GenericSchema<T>>>>;
type PageOf<T> = v.InferOutput<ReturnType<typeof pageOf<v.GenericSchema<T>>>>;
/** A list answer: the whole list, or one page of a paginated one (then with `nextCursor`). */
export type Page<T> = ListOf<T> & Partial<PageOf<T>>;

export type Usage = v.InferOutput<typeof UsageSchema>;
export type EvidenceExport = v.InferOutput<typeof ExportSchema>;
export type ShareLink = v.InferOutput<typeof ShareLinkSchema>;
export type CreatedShare = v.InferOutput<typeof CreatedShareSchema>;
/** Scheduled exports (GET/PUT/DELETE /v1/exports/schedule). */
export type ExportSchedule = v.InferOutput<typeof ScheduleSchema>;
/** A rule change ahead and the locations it will break (GET /v1/rule-changes). */
export type RuleChange = v.InferOutput<typeof RuleChangeSchema>;
/** A credential or permit to renew: start by D to be covered before E (GET /v1/renewal-reminders). */
export type RenewalReminder = v.InferOutput<typeof RenewalReminderSchema>;
export type Billing = v.InferOutput<typeof BillingSchema>;
export type CheckoutAnswer = v.InferOutput<typeof CheckoutAnswerSchema>;
export type PortalAnswer = v.InferOutput<typeof PortalAnswerSchema>;
// Notifications (ADR 0015).
export type NotificationPreferences = v.InferOutput<typeof PreferencesSchema>;
export type PhoneNumber = v.InferOutput<typeof PhoneSchema>;
export type WebhookEndpoint = v.InferOutput<typeof WebhookSchema>;
export type CreatedWebhook = v.InferOutput<typeof CreatedWebhookSchema>;
export type RotatedSecret = v.InferOutput<typeof RotatedSecretSchema>;
export type WebhookDelivery = v.InferOutput<typeof DeliverySchema>;

type ProblemBody = v.InferOutput<typeof ProblemSchema>;
/** An RFC 9457 problem; `instance` is absent from the ones the app makes up itself (network errors). */
export type Problem = Omit<ProblemBody, "instance"> & Partial<Pick<ProblemBody, "instance">>;
/** A source watchers' review item (GET /v1/admin/reviews, platform admins). */
export type SourceReview = v.InferOutput<typeof SourceReviewSchema>;
// Partners (ADR 0023): the grants partners hold, and the consent screen.
export type PartnerGrant = v.InferOutput<typeof OwnerGrantSchema>;
export type ConsentView = v.InferOutput<typeof ConsentViewSchema>;
export type ConsentDecision = v.InferOutput<typeof ConsentDecisionSchema>;
