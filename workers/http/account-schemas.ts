/**
 * Schemas of the web app's account endpoints: sign-up, sign-in, the session, the team and
 * invites. Pure valibot (no Worker imports), so web/ derives its types from them too.
 */
import * as v from "valibot";

export const ROLE_NAMES = ["owner", "admin", "manager", "viewer"] as const;

export const EmailSchema = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.email("must be an email address"),
  v.maxLength(254),
);
const PasswordSchema = v.pipe(
  v.string(),
  v.minLength(12, "must be at least 12 characters"),
  // PBKDF2 hashes any length, but an unbounded body would be free work for an attacker.
  v.maxLength(256, "must be at most 256 characters"),
);
const NameSchema = v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(100));
const FacilityId = v.pipe(v.string(), v.regex(/^fac_[0-9A-Z]{26}$/, "must be a facility id (fac_…)"));
const GroupId = v.pipe(v.string(), v.regex(/^grp_[0-9A-Z]{26}$/, "must be a group id (grp_…)"));

export const SignUpSchema = v.object({
  companyName: NameSchema,
  name: v.optional(NameSchema),
  email: EmailSchema,
  password: PasswordSchema,
});

export const SignInSchema = v.object({
  email: EmailSchema,
  // Any length may sign in; the rules above apply when a password is chosen.
  password: v.pipe(v.string(), v.minLength(1, "must not be empty"), v.maxLength(256)),
});

export const AcceptInviteSchema = v.object({
  token: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be the token from the invite link")),
  name: v.optional(NameSchema),
  password: PasswordSchema,
});

export const SessionSchema = v.object({
  user: v.object({
    id: v.string(),
    email: v.string(),
    name: v.nullable(v.string()),
    role: v.picklist(ROLE_NAMES),
  }),
  tenant: v.object({ id: v.string(), name: v.string() }),
  scopes: v.array(v.string()),
  /** The facility ids a manager may touch; null = all. */
  locations: v.nullable(v.array(v.string())),
  /** Echo in `X-CSRF-Token` on every POST, PATCH and DELETE. */
  csrfToken: v.string(),
});

/** Locations and groups assigned to a manager. */
const AssignmentEntries = {
  facilityIds: v.optional(v.pipe(v.array(FacilityId), v.maxLength(1000)), []),
  groupIds: v.optional(v.pipe(v.array(GroupId), v.maxLength(100)), []),
};

export const TeamMemberSchema = v.object({
  id: v.string(),
  email: v.string(),
  name: v.nullable(v.string()),
  role: v.picklist(ROLE_NAMES),
  createdAt: v.string(),
  facilityIds: v.array(v.string()),
  groupIds: v.array(v.string()),
});

export const UpdateMemberSchema = v.object({
  role: v.optional(v.picklist(ROLE_NAMES)),
  facilityIds: v.optional(v.pipe(v.array(FacilityId), v.maxLength(1000))),
  groupIds: v.optional(v.pipe(v.array(GroupId), v.maxLength(100))),
});

export const CreateInviteSchema = v.object({
  email: EmailSchema,
  role: v.picklist(ROLE_NAMES),
  ...AssignmentEntries,
});

export const InviteSchema = v.object({
  id: v.string(),
  email: v.string(),
  role: v.picklist(ROLE_NAMES),
  facilityIds: v.array(v.string()),
  groupIds: v.array(v.string()),
  createdBy: v.string(),
  createdAt: v.string(),
  expiresAt: v.string(),
  acceptedAt: v.nullable(v.string()),
});

/** The token (and the link built from it) appear in this response only. */
export const CreatedInviteSchema = v.object({ invite: InviteSchema, token: v.string(), url: v.string() });

export const UserIdParams = v.object({
  id: v.pipe(v.string(), v.regex(/^usr_[0-9A-Z]{26}$/, "must be a user id (usr_…)")),
});
export const InviteIdParams = v.object({
  id: v.pipe(v.string(), v.regex(/^inv_[0-9A-Z]{26}$/, "must be an invite id (inv_…)")),
});

export const GroupSchema = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(["region", "brand"]),
  facilityIds: v.array(v.string()),
  createdAt: v.string(),
});
export const CreateGroupSchema = v.object({
  name: NameSchema,
  kind: v.picklist(["region", "brand"]),
  facilityIds: v.optional(v.pipe(v.array(FacilityId), v.maxLength(1000)), []),
});
export const UpdateGroupSchema = v.object({
  name: v.optional(NameSchema),
  facilityIds: v.optional(v.pipe(v.array(FacilityId), v.maxLength(1000))),
});
export const GroupIdParams = v.object({ id: GroupId });

/** One past check of a facility, newest first in lists; GET /v1/checks/{id} has the whole verdict. */
export const CheckSummarySchema = v.object({
  id: v.string(),
  asOf: v.string(),
  evaluatedAt: v.string(),
  status: v.picklist(["compliant", "at_risk", "non_compliant"]),
  failing: v.number(),
});
