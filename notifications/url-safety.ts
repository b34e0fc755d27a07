/**
 * Where a webhook may be sent (SSRF). Production refuses a URL that is not HTTPS, that
 * carries credentials, or whose host is — or resolves to — a private, loopback, link-local,
 * shared, multicast or reserved address; in development (`PREP_ENV=development` or `test`)
 * plain HTTP and loopback are allowed so a local receiver works, but other private ranges are
 * still refused. Checked when an endpoint is saved and again before every attempt (a name can
 * be re-pointed at an internal address after it was accepted: DNS rebinding).
 */

export type Resolver = (hostname: string) => Promise<string[]>;

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_ENVS = new Set(["development", "test"]);

function ipv4Parts(address: string): number[] | null {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const numbers = parts.map(Number);
  return numbers.every((n) => n <= 255) ? numbers : null;
}

/** The range a v4 address falls in when it is not public, else null. */
function ipv4Range(parts: number[]): string | null {
  const [a, b, c] = parts as [number, number, number, number];
  if (a === 127) return "loopback";
  if (a === 0) return "unspecified";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 169 && b === 254) return "link-local";
  if (a === 100 && b >= 64 && b <= 127) return "shared (CGNAT)";
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return "reserved";
  if ((a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100)) return "reserved";
  if (a === 203 && b === 0 && c === 113) return "reserved";
  if (a >= 224) return "multicast or reserved";
  return null;
}

/** Expands an IPv6 literal (no brackets) to eight 16-bit groups, or null. */
function ipv6Groups(address: string): number[] | null {
  if (!address.includes(":")) return null;
  let text = address.toLowerCase().split("%")[0] as string;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = ipv4Parts(v4[1] as string);
    if (!parts) return null;
    text = `${text.slice(0, -(v4[1] as string).length)}${((parts[0] as number) * 256 + (parts[1] as number)).toString(16)}:${((parts[2] as number) * 256 + (parts[3] as number)).toString(16)}`;
  }
  const [head, tail, extra] = text.split("::");
  if (extra !== undefined) return null;
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill("0"), ...right];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => Number.parseInt(g, 16));
}

function ipv6Range(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(7) && g7 === 1) return "loopback";
  if (zeroTo(8)) return "unspecified";
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judge the embedded v4 address.
  if ((zeroTo(5) && g5 === 0xffff) || (g0 === 0x64 && g1 === 0xff9b && !g2 && !g3 && !g4 && !g5))
    return ipv4Range([g6 >> 8, g6 & 255, g7 >> 8, g7 & 255]);
  if ((g0 & 0xfe00) === 0xfc00) return "private (unique local)";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x2001 && g1 === 0x0db8) return "reserved";
  return null;
}

/** Why `address` (an IP literal) may not be reached, or null when it is public. Not an IP: null. */
export function privateRange(address: string): string | null {
  const v4 = ipv4Parts(address);
  if (v4) return ipv4Range(v4);
  const v6 = ipv6Groups(address);
  return v6 ? ipv6Range(v6) : null;
}

const isIpLiteral = (host: string) => ipv4Parts(host) !== null || ipv6Groups(host) !== null;

/** A name that is local by definition, whatever DNS says. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/i;

/** Resolves through DNS over HTTPS (Cloudflare's JSON API): A and AAAA records. */
export const dohResolver: Resolver = async (hostname) => {
  const answers = await Promise.all(
    ["A", "AAAA"].map(async (type) => {
      const response = await fetch(
        `https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(hostname)}&type=${type}`,
        { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(5_000) },
      );
      if (!response.ok) throw new Error(`DNS lookup answered ${response.status}`);
      const body = (await response.json()) as { Answer?: { type: number; data: string }[] };
      return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
    }),
  );
  return answers.flat();
};

/**
 * Whether a webhook may go to `raw` in `prepEnv`. `resolve` looks names up (production:
 * DNS over HTTPS); a name that does not resolve is refused.
 */
export async function checkWebhookUrl(
  raw: string,
  prepEnv: string,
  resolve: Resolver = dohResolver,
): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not an absolute URL" };
  }
  const local = LOCAL_ENVS.has(prepEnv);
  if (url.protocol !== "https:" && !(local && url.protocol === "http:"))
    return { ok: false, reason: local ? "must use http or https" : "must use https" };
  if (url.username || url.password) return { ok: false, reason: "must not carry a user name or password" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopbackAllowed = (range: string | null) => range === null || (local && range === "loopback");
  if (isIpLiteral(host)) {
    const range = privateRange(host);
    return loopbackAllowed(range) ? { ok: true, url } : { ok: false, reason: `points at a ${range} address` };
  }
  if (LOCAL_NAMES.test(host))
    return local && /(^|\.)localhost$/i.test(host)
      ? { ok: true, url }
      : { ok: false, reason: "names a local host" };
  if (local) return { ok: true, url };
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (error) {
    return {
      ok: false,
      reason: `could not be resolved (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (addresses.length === 0) return { ok: false, reason: "does not resolve to an address" };
  for (const address of addresses) {
    const range = privateRange(address);
    if (range) return { ok: false, reason: `resolves to a ${range} address (${address})` };
  }
  return { ok: true, url };
}
