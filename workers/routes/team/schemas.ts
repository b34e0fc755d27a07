/**
 * Schemas of the team (/v1/users) and its invites (/v1/invites).
 */
import * as v from "valibot";
import { EmailSchema, FacilityIdSchema, GroupIdSchema, idSchema, ROLE_NAMES } from "../../http/schemas";

const FacilityIds = v.pipe(v.array(FacilityIdSchema), v.maxLength(1000));
const GroupIds = v.pipe(v.array(GroupIdSchema), v.maxLength(100));

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
  facilityIds: v.optional(FacilityIds),
  groupIds: v.optional(GroupIds),
});

export const UserIdParams = v.object({ id: idSchema("usr", "must be a user id (usr_…)") });

export const CreateInviteSchema = v.object({
  email: EmailSchema,
  role: v.picklist(ROLE_NAMES),
  /** Locations and groups assigned to a manager. */
  facilityIds: v.optional(FacilityIds, []),
  groupIds: v.optional(GroupIds, []),
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

/**
 * The link goes only to the invitee's address, so this answer is the same whether or not
 * the address has an account elsewhere.
 */
export const CreatedInviteSchema = v.object({ invite: InviteSchema, emailSent: v.literal(true) });

export const InviteIdParams = v.object({ id: idSchema("inv", "must be an invite id (inv_…)") });

export const SessionParams = v.object({
  id: idSchema("usr", "must be a user id (usr_…)"),
  sessionId: idSchema("ses", "must be a session id (ses_…)"),
});

/** One active web session of a member. */
export const MemberSessionSchema = v.object({
  id: v.string(),
  createdAt: v.string(),
  expiresAt: v.string(),
  userAgent: v.nullable(v.string()),
  createdIp: v.nullable(v.string()),
  /** True for the session making this request. */
  current: v.boolean(),
});
