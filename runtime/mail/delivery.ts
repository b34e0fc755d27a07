/**
 * The one way Prep sends email (docs/decisions/0011-sessions-mail-and-verification.md):
 * `MailDelivery.send({ to, subject, text, html })`. The transport comes from `MAIL_URL`:
 *
 * - `smtp://host:port` — plain SMTP, for the local mail catcher (`npm start`, tests);
 * - `smtps://user:password@host:465` — SMTP over TLS with AUTH PLAIN, for a provider's
 *   submission endpoint in staging and production (a secret).
 *
 * Without `MAIL_URL` nothing can be sent: each message is logged as an error (never its
 * body, which may hold a link that signs someone in) and dropped, so a misconfigured
 * deployment is loud but answers the same to every visitor.
 */
import { type SmtpServer, sendSmtp } from "./smtp";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. RFC 8058 one-click unsubscribe (mime.ts). */
  headers?: Readonly<Record<string, string>>;
  /** A stable Message-ID local part (a retried notification keeps its id). */
  messageId?: string;
}

export interface MailDelivery {
  send(message: MailMessage): Promise<void>;
}

export interface MailConfig {
  MAIL_URL?: string;
  /** The From address, e.g. `Prep <no-reply@prep.dev>`. */
  MAIL_FROM?: string;
}

const DEFAULT_FROM = "Prep <no-reply@prep.localhost>";

export function smtpServer(url: string): SmtpServer {
  const parsed = new URL(url);
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:")
    throw new Error(`MAIL_URL must be smtp:// or smtps://, not ${parsed.protocol}`);
  const tls = parsed.protocol === "smtps:";
  return {
    hostname: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : tls ? 465 : 25,
    tls,
    ...(parsed.username
      ? { auth: { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } }
      : {}),
  };
}

export function mailDelivery(config: MailConfig): MailDelivery {
  const from = config.MAIL_FROM || DEFAULT_FROM;
  if (!config.MAIL_URL) {
    return {
      async send(message) {
        console.error(
          JSON.stringify({
            level: "error",
            message: "MAIL_URL is not set: an email was dropped",
            subject: message.subject,
          }),
        );
      },
    };
  }
  const server = smtpServer(config.MAIL_URL);
  return { send: (message) => sendSmtp(server, { from, ...message }) };
}
