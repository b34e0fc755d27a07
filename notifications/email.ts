/**
 * The email of a notification: subject, text and HTML naming the location, each finding with
 * its citation and due date, a link into the app, and RFC 8058 one-click unsubscribe headers
 * (`List-Unsubscribe` with an HTTPS URL, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
 * Pure; sent through the one mail delivery (runtime/mail/).
 */
import type { MailMessage } from "../runtime/mail/delivery";
import type { NotificationEvent, NotifiedFinding } from "./events";

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function findingsOf(event: NotificationEvent): NotifiedFinding[] {
  const findings = event.data.findings;
  return Array.isArray(findings) ? (findings as NotifiedFinding[]) : [];
}

function findingLine(finding: NotifiedFinding): string {
  const status = finding.status ?? "no longer applies";
  const due = finding.dueBy ? `, due ${finding.dueBy}` : "";
  return `${finding.title} — ${status}${due} (${finding.citation})`;
}

export interface MailContext {
  to: string;
  /** The web app's origin, e.g. https://app.prep.dev. */
  appOrigin: string;
  /** The one-click unsubscribe URL (POST) for this recipient; null for operational mail (to owners). */
  unsubscribeUrl: string | null;
  /** Stable across retries: the delivery id. */
  messageId: string;
}

/** One event as one email. */
export function notificationMail(event: NotificationEvent, context: MailContext): MailMessage {
  return mailOf([event], event.summary, context);
}

/** Several events (a digest) as one email. */
export function digestMail(events: readonly NotificationEvent[], context: MailContext): MailMessage {
  return mailOf(events, `Prep digest: ${events.length} update${events.length === 1 ? "" : "s"}`, context);
}

function linkFor(event: NotificationEvent, appOrigin: string): string {
  const base = appOrigin.replace(/\/$/, "");
  if (typeof event.data.url === "string" && /^https?:\/\//.test(event.data.url)) return event.data.url;
  // A page of the app (`/evidence`, `/rule-changes`): never a protocol-relative `//host`.
  if (typeof event.data.path === "string" && /^\/(?!\/)/.test(event.data.path))
    return `${base}${event.data.path}`;
  return event.facilityId ? `${base}/locations/${encodeURIComponent(event.facilityId)}` : `${base}/`;
}

function mailOf(events: readonly NotificationEvent[], subject: string, context: MailContext): MailMessage {
  const textBlocks: string[] = [];
  const htmlBlocks: string[] = [];
  for (const event of events) {
    const findings = findingsOf(event);
    const link = linkFor(event, context.appOrigin);
    textBlocks.push(
      [
        event.summary,
        ...(event.facilityName ? [`Location: ${event.facilityName}`] : []),
        ...findings.map((f) => `- ${findingLine(f)}`),
        `Open in Prep: ${link}`,
      ].join("\n"),
    );
    htmlBlocks.push(
      [
        `<h2 style="font-size:16px">${escapeHtml(event.summary)}</h2>`,
        ...(event.facilityName ? [`<p>Location: <b>${escapeHtml(event.facilityName)}</b></p>`] : []),
        ...(findings.length
          ? [`<ul>${findings.map((f) => `<li>${escapeHtml(findingLine(f))}</li>`).join("")}</ul>`]
          : []),
        `<p><a href="${escapeHtml(link)}">Open in Prep</a></p>`,
      ].join("\n"),
    );
  }
  const unsubscribe = context.unsubscribeUrl;
  if (!unsubscribe)
    return {
      to: context.to,
      subject,
      text: [...textBlocks, "— Prep"].join("\n\n"),
      html: htmlBlocks.join("\n"),
      messageId: context.messageId,
    };
  const footer = `You get this because of your notification settings in Prep. Unsubscribe: ${unsubscribe}`;
  return {
    to: context.to,
    subject,
    text: [...textBlocks, `— Prep\n${footer}`].join("\n\n"),
    html: [
      ...htmlBlocks,
      `<p style="color:#666;font-size:12px">You get this because of your notification settings in Prep. <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
    ].join("\n"),
    headers: {
      "List-Unsubscribe": `<${unsubscribe}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    messageId: context.messageId,
  };
}
