/**
 * What the mail catcher (maildev, started by test/global-setup.ts, npm start and the browser
 * tests' server) received, through its REST API. Plain fetch, so it runs in workerd and Node.
 */
export interface CaughtMail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string }[];
}

/** Every message caught for `to` (case-insensitive), oldest first. */
export async function mailFor(apiUrl: string, to: string): Promise<CaughtMail[]> {
  const response = await fetch(`${apiUrl}/api/email?to.address=${encodeURIComponent(to.toLowerCase())}`);
  if (!response.ok) throw new Error(`mail catcher answered ${response.status}`);
  return (await response.json()) as CaughtMail[];
}

/**
 * Waits for the `count`-th message to `to` (mail is sent after the response) and returns
 * it; with `subject`, only messages whose subject contains it count.
 */
export async function waitForMail(
  apiUrl: string,
  to: string,
  options: { subject?: string; count?: number; timeoutMs?: number } = {},
): Promise<CaughtMail> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const matching = (await mailFor(apiUrl, to)).filter(
      (mail) => !options.subject || mail.subject.includes(options.subject),
    );
    const found = matching[count - 1];
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no email #${count} to ${to}${options.subject ? ` about "${options.subject}"` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The token of the first Prep link in a message (`…#token=<64 hex>`). */
export function linkToken(mail: CaughtMail): string {
  const token = /#token=([0-9a-f]{64})/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no link with a token in "${mail.subject}"`);
  return token;
}

/** The first Prep link with a token in a message, whole (`http…#token=<64 hex>`). */
export function linkUrl(mail: CaughtMail): string {
  const url = /(https?:\/\/\S+?#token=[0-9a-f]{64})/.exec(mail.text)?.[1];
  if (!url) throw new Error(`no link with a token in "${mail.subject}"`);
  return url;
}
