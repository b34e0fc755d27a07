/** HMAC with WebCrypto (workerd and Node): the raw MAC of `data` under a text key. */
const encoder = new TextEncoder();

export async function hmac(hash: "SHA-1" | "SHA-256", key: string, data: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(data)));
}
