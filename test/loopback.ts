/**
 * Starts a test stand-in HTTP server on an ephemeral loopback port: its URL, and a close that
 * drops open connections first (a client that gave up must not keep the run alive, nor crash it).
 */
import type { IncomingMessage, Server } from "node:http";

export async function listenOnLoopback(
  server: Server,
  name: string,
): Promise<{ url: string; close(): Promise<void> }> {
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error(`${name} has no port`);
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request's whole body as UTF-8 text. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
