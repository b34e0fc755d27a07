/**
 * Every API shape the app uses, derived from the Worker's own valibot schemas and RPC
 * contract (type-only imports: nothing of the Worker ends up in the bundle).
 */
import type * as v from "valibot";
import type { FacilityInput } from "../../../compliance";
import type { Alert } from "../../../durable-objects/contract";
import type {
  CheckSummarySchema,
  CreatedInviteSchema,
  GroupSchema,
  InviteSchema,
  SessionSchema,
  TeamMemberSchema,
} from "../../../workers/http/account-schemas";
import type { CreatedKeySchema, KeySummarySchema } from "../../../workers/http/key-schemas";
import type { CheckResultSchema, FacilityResponseSchema } from "../../../workers/http/schemas";

export type { Alert, FacilityInput };
export type Session = v.InferOutput<typeof SessionSchema>;
export type Role = Session["user"]["role"];
export type Facility = v.InferOutput<typeof FacilityResponseSchema> & FacilityInput;
export type Status = NonNullable<Facility["status"]>;
export type CheckResult = v.InferOutput<typeof CheckResultSchema>;
export type Finding = CheckResult["findings"][number];
export type CheckSummary = v.InferOutput<typeof CheckSummarySchema>;
export type TeamMember = v.InferOutput<typeof TeamMemberSchema>;
export type Invite = v.InferOutput<typeof InviteSchema>;
export type CreatedInvite = v.InferOutput<typeof CreatedInviteSchema>;
export type Group = v.InferOutput<typeof GroupSchema>;
export type KeySummary = v.InferOutput<typeof KeySummarySchema>;
export type CreatedKey = v.InferOutput<typeof CreatedKeySchema>;

export interface Page<T> {
  data: T[];
  nextCursor?: string | null;
}

/**
 * GET /v1/usage. Its schema lives beside the route (workers/routes/usage.ts), which imports
 * Worker-only modules, so this one shape is restated here; keep the two in step.
 */
export interface Usage {
  from: string;
  to: string;
  granularity: "hour" | "day";
  total: number;
  series: { start: string; count: number; byState: Record<string, number> }[];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string | null;
  errors?: { pointer: string; detail: string }[];
}
