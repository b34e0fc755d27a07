/**
 * Schemas of the web app's sign-up, sign-in, invite acceptance and session.
 */
import * as v from "valibot";
import { EmailSchema, NameSchema, ROLE_NAMES } from "../../http/schemas";

export const PasswordSchema = v.pipe(
  v.string(),
  v.minLength(12, "must be at least 12 characters"),
  // PBKDF2 hashes any length, but an unbounded body would be free work for an attacker.
  v.maxLength(256, "must be at most 256 characters"),
);

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

const linkToken = (what: string) =>
  v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, `must be the token from the ${what} link`));

export const AcceptInviteSchema = v.object({
  token: linkToken("invite"),
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

/** The answer to every sign-up, whether or not the address has an account (it never says). */
export const SignUpAcceptedSchema = v.object({
  email: v.string(),
  /** Always true: the next step is in the email. */
  verificationSent: v.literal(true),
});

export const VerifySignUpSchema = v.object({ token: linkToken("confirmation") });

export const PasswordResetRequestSchema = v.object({ email: EmailSchema });

/** The answer to every reset request, whether or not the address has an account. */
export const PasswordResetRequestedSchema = v.object({ email: v.string(), emailSent: v.literal(true) });

export const PasswordResetSchema = v.object({ token: linkToken("reset"), password: PasswordSchema });
