/**
 * A WebSocket → TCP bridge for local development and tests (Node only, never deployed).
 *
 * The Neon serverless driver speaks the Postgres wire protocol over a WebSocket. Neon runs
 * that proxy in production; locally this bridge plays its part in front of the embedded
 * PGlite server or the machine's PostgreSQL. It forwards only to the one database it was
 * started for, whatever address a client asks for, and listens on loopback only.
 */
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { WebSocketServer } from "ws";

export interface WsBridge {
  /** The value for the Worker's `DB_WS_PROXY`, e.g. `127.0.0.1:54321/v2`. */
  readonly proxy: string;
  readonly port: number;
  /**
   * Tests only: `false` plays a database outage — open connections are cut and new ones
   * are closed at once, as when the database host is gone — until `true` again.
   */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

export interface WsBridgeOptions {
  target: { host: string; port: number };
  /** 0 picks a free port. */
  port?: number;
}

export async function startWsBridge({ target, port = 0 }: WsBridgeOptions): Promise<WsBridge> {
  const http: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  const wss = new WebSocketServer({ server: http });
  let available = true;

  wss.on("connection", (ws) => {
    if (!available) return ws.terminate();
    const tcp = connect(target.port, target.host);
    tcp.setNoDelay(true);
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      tcp.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
    });
    tcp.on("data", (chunk) => ws.send(chunk));
    ws.on("close", () => tcp.end());
    ws.on("error", () => tcp.destroy());
    tcp.on("close", () => ws.close());
    tcp.on("error", () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve());
  });
  const address = http.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  return {
    proxy: `127.0.0.1:${boundPort}/v2`,
    port: boundPort,
    setAvailable: (next) => {
      available = next;
      if (!next) for (const client of wss.clients) client.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => http.close(() => resolve()));
      }),
  };
}
