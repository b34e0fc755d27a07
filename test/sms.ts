/**
 * What the loopback Twilio (test/twilio-server.ts) received, and its controls, through its
 * `/__fake/*` API. Plain fetch, so it runs in workerd and Node (browser tests).
 */
export interface TextSent {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  statusCallback: string | null;
}

/** Every text sent to `to`, oldest first. */
export async function textsTo(twilioUrl: string, to: string): Promise<TextSent[]> {
  const response = await fetch(`${twilioUrl}/__fake/messages?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`loopback Twilio answered ${response.status}`);
  return (await response.json()) as TextSent[];
}

/** Waits for the `count`-th text to `to` (optionally containing `including`). */
export async function waitForText(
  twilioUrl: string,
  to: string,
  options: { including?: string; count?: number; timeoutMs?: number } = {},
): Promise<TextSent> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const matching = (await textsTo(twilioUrl, to)).filter(
      (text) => !options.including || text.body.includes(options.including),
    );
    const found = matching[count - 1];
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no text #${count} to ${to}${options.including ? ` with "${options.including}"` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The 6-digit code of the latest verification text to `to`. */
export async function verificationCode(twilioUrl: string, to: string, count = 1): Promise<string> {
  const text = await waitForText(twilioUrl, to, { including: "verification code", count });
  const code = /\b(\d{6})\b/.exec(text.body)?.[1];
  if (!code) throw new Error(`no code in "${text.body}"`);
  return code;
}

/** POSTs JSON to one of the loopback Twilio's controls (`fail`, `outage`, `stopped`, `sign`…). */
export async function twilioControl<T = Record<string, unknown>>(
  twilioUrl: string,
  control: string,
  json: unknown,
): Promise<T> {
  const response = await fetch(`${twilioUrl}/__fake/${control}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  if (!response.ok) throw new Error(`loopback Twilio ${control} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A US number no other test uses (555-01xx is reserved for fiction; the rest is random). */
export function uniquePhone(): string {
  return `+1415${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;
}
