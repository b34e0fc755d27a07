/**
 * The emails Prep sends about accounts, each as text and HTML. Links carry their token in
 * the fragment (`#token=…`), which browsers never send to a server or in a Referer.
 */
import type { MailMessage } from "../../../runtime/mail/delivery";

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function message(
  to: string,
  subject: string,
  paragraphs: string[],
  link?: { url: string; label: string },
): MailMessage {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.url}`] : []), "— Prep"].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    "<p>— Prep</p>",
  ].join("\n");
  return { to, subject, text, html };
}

export const verifySignupMail = (to: string, companyName: string, url: string) =>
  message(
    to,
    "Confirm your email to create your Prep account",
    [
      `Someone (we hope you) asked to create a Prep account for ${companyName} with this address.`,
      "Open the link within 24 hours to confirm it is yours and finish signing up. If it wasn't you, ignore this email: nothing is created.",
    ],
    { url, label: "Confirm my email" },
  );

export const signupAttemptMail = (to: string, signInUrl: string, resetUrl: string) =>
  message(to, "Someone tried to sign up to Prep with your address", [
    "Someone asked to create a new Prep account with this address, which already has one. Nothing was changed.",
    `If it was you, sign in at ${signInUrl}. If you forgot your password, reset it at ${resetUrl}.`,
    "If it wasn't you, you can ignore this email.",
  ]);

export const passwordResetMail = (to: string, url: string) =>
  message(
    to,
    "Reset your Prep password",
    [
      "Someone (we hope you) asked to reset the password of the Prep account with this address.",
      "The link works once, within an hour; choosing a new password signs out every session. If it wasn't you, ignore this email: your password stays as it is.",
    ],
    { url, label: "Choose a new password" },
  );

export const passwordChangedMail = (to: string) =>
  message(to, "Your Prep password was changed", [
    "The password of your Prep account was just changed, and your other sessions were signed out.",
    "If this wasn't you, reset your password now from the sign-in page and tell your team's owner.",
  ]);

export const inviteMail = (to: string, companyName: string, url: string) =>
  message(
    to,
    `You're invited to ${companyName} on Prep`,
    [
      `You've been invited to join ${companyName} on Prep, the food-safety compliance app.`,
      "The link works once, within seven days.",
    ],
    { url, label: "Accept the invite" },
  );

/** A partner (a kitchen marketplace) onboarded the business: the owner's invitation (issue 21). */
export const partnerInviteMail = (to: string, companyName: string, partnerName: string, url: string) =>
  message(
    to,
    `${partnerName} set up ${companyName} on Prep`,
    [
      `${partnerName} created a Prep account for ${companyName}, the food-safety compliance app, and invited you as its owner.`,
      `Accept the invite to sign in. You will then see what ${partnerName} asks to do for your business (its scopes) and decide whether to allow it; until you do, ${partnerName} sees only that the invitation is pending.`,
      "The link works once, within seven days.",
    ],
    { url, label: "Accept the invite" },
  );
