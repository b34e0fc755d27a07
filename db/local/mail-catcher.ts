/**
 * The local mail catcher (maildev): an SMTP server the Worker sends to (MAIL_URL) and a web
 * page where a person reads what was sent; tests read it through its REST API (test/mail.ts).
 * Used by `npm start`, the test suite's global setup and the browser tests' server.
 */
import { createServer } from "node:net";
import { MailDev } from "maildev";
import { freePort } from "./free-port";

/** `preferred` if nothing listens there, else any free port (a second `npm start`, CI). */
async function portOr(preferred: number | undefined): Promise<number> {
  if (preferred === undefined) return freePort();
  const free = await new Promise<boolean>((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen(preferred, "127.0.0.1", () => probe.close(() => done(true)));
  });
  return free ? preferred : freePort();
}

export interface MailCatcher {
  /** For the Worker: `smtp://127.0.0.1:<port>`. */
  smtpUrl: string;
  /** The web page and its REST API (`/api/email`). */
  webUrl: string;
  stop(): Promise<void>;
}

/** Preferred ports are used when free, else any free ones; without them, any free ones. */
export async function startMailCatcher(
  options: { smtpPort?: number; webPort?: number } = {},
): Promise<MailCatcher> {
  const smtpPort = await portOr(options.smtpPort);
  const webPort = await portOr(options.webPort);
  const maildev = new MailDev({
    smtp: smtpPort,
    web: webPort,
    ip: "127.0.0.1",
    webIp: "127.0.0.1",
    silent: true,
  });
  await maildev.start();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    stop: () => maildev.stop(),
  };
}
