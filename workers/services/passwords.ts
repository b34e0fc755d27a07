/**
 * Password hashing with WebCrypto PBKDF2-HMAC-SHA-256 at 600,000 iterations in total.
 *
 * workerd refuses PBKDF2 calls above 100,000 iterations, so one 600,000-iteration call is
 * impossible in a Worker. The hash chains six 100,000-iteration derivations instead, each
 * keyed by the previous output (docs/decisions/0007-sessions-and-passwords.md): an attacker
 * pays the same 600,000 sequential HMAC-SHA-256 computations per guess, but the output is
 * not byte-compatible with a single PBKDF2 call, so the format names the construction.
 *
 * Stored as `pbkdf2-sha256-chain$<rounds>$<iterations>$<salt b64url>$<hash b64url>`; the
 * parameters travel with the hash so they can be raised later without breaking sign-in.
 */
const SCHEME = "pbkdf2-sha256-chain";
/** workerd's limit per deriveBits call. */
const ITERATIONS_PER_ROUND = 100_000;
const ROUNDS = 6;
const SALT_BYTES = 16;
const HASH_BITS = 256;

const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

async function derive(
  password: string,
  salt: Uint8Array,
  rounds: number,
  iterations: number,
): Promise<Uint8Array> {
  let secret: Uint8Array = encoder.encode(password);
  for (let round = 0; round < rounds; round++) {
    const key = await crypto.subtle.importKey("raw", secret, "PBKDF2", false, ["deriveBits"]);
    // The round number is mixed into the salt so no two rounds compute the same function.
    const roundSalt = new Uint8Array([...salt, round]);
    secret = new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: "PBKDF2", hash: "SHA-256", salt: roundSalt, iterations },
        key,
        HASH_BITS,
      ),
    );
  }
  return secret;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ROUNDS, ITERATIONS_PER_ROUND);
  return [SCHEME, ROUNDS, ITERATIONS_PER_ROUND, toBase64Url(salt), toBase64Url(hash)].join("$");
}

/** Constant-time comparison, so the time taken says nothing about where bytes differ. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, rounds, iterations, salt, hash] = stored.split("$");
  if (scheme !== SCHEME || !rounds || !iterations || !salt || !hash) return false;
  const derived = await derive(password, fromBase64Url(salt), Number(rounds), Number(iterations));
  return equalBytes(derived, fromBase64Url(hash));
}

/**
 * A hash of no one's password: sign-in verifies against it when the email is unknown, so
 * unknown and known emails take the same time to refuse.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}
