/**
 * The local mail catcher (maildev): an SMTP server the Worker sends to (MAIL_URL) and a web
 * page where a person reads what was sent; tests read it through its REST API (test/mail.ts).
 * Used by `npm start`, the test suite's global setup and the browser tests' server.
 */
import { MailDev } from "maildev";
import { freePort } from "./free-port";

export interface MailCatcher {
  /** For the Worker: `smtp://127.0.0.1:<port>`. */
  smtpUrl: string;
  /** The web page and its REST API (`/api/email`). */
  webUrl: string;
  stop(): Promise<void>;
}

export async function startMailCatcher(options: { smtpPort?: number; webPort?: number } = {}): Promise<MailCatcher> {
  const smtpPort = options.smtpPort ?? (await freePort());
  const webPort = options.webPort ?? (await freePort());
  const maildev = new MailDev({ smtp: smtpPort, web: webPort, ip: "127.0.0.1", webIp: "127.0.0.1", silent: true });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    stop: () => maildev.stop(),
  };
}
