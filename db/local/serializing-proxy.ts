/**
 * A TCP proxy in front of the embedded PGlite server that lets one client at a time run a
 * unit of work (Node only, development and tests).
 *
 * PGlite is a single Postgres session. pglite-socket multiplexes connections onto it one
 * protocol message at a time and keeps explicit transactions together, but the extended
 * query protocol sends Parse, Bind, Execute and Sync as separate messages outside any
 * transaction block, so two clients' statements could interleave and corrupt each other.
 * This proxy gives the session to one client from its first byte until the server reports
 * ReadyForQuery with status idle ('I'), i.e. until the statement or transaction is done, or
 * until it sends Terminate or disconnects. Like PostgreSQL, it closes a connection on Terminate.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface SerializingProxy {
  readonly port: number;
  close(): Promise<void>;
}

const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const SSL_REQUEST_CODE = 80877103;

/** Terminate ('X', length 4): the client is done, whether or not its socket closes soon. */
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

/** An SSLRequest is answered by one bare byte ('N' here), not a framed message. */
function isSslRequest(chunk: Buffer): boolean {
  return chunk.length >= 8 && chunk.readInt32BE(0) === 8 && chunk.readInt32BE(4) === SSL_REQUEST_CODE;
}

/** Watches a server→client byte stream and reports each ReadyForQuery's status. */
function readyForQueryWatcher(onReady: (status: number) => void) {
  let pending = Buffer.alloc(0);
  let bareBytesToSkip = 0;
  const watch = (chunk: Buffer) => {
    if (bareBytesToSkip > 0 && chunk.length > 0) {
      const skip = Math.min(bareBytesToSkip, chunk.length);
      bareBytesToSkip -= skip;
      chunk = chunk.subarray(skip);
    }
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    // Server messages: 1 type byte, then a big-endian length that counts itself.
    while (pending.length - offset >= 5) {
      const length = pending.readInt32BE(offset + 1);
      if (pending.length - offset < 1 + length) break;
      if (pending[offset] === READY_FOR_QUERY) onReady(pending[offset + 5] as number);
      offset += 1 + length;
    }
    pending = pending.subarray(offset);
  };
  return Object.assign(watch, { expectBareByte: () => bareBytesToSkip++ });
}

export async function startSerializingProxy(
  target: { host: string; port: number },
  port = 0,
): Promise<SerializingProxy> {
  let owner: Socket | null = null;
  const waiting: (() => void)[] = [];

  const release = (client: Socket) => {
    if (owner !== client) return;
    owner = null;
    waiting.shift()?.();
  };
  const acquire = (client: Socket) =>
    new Promise<void>((resolve) => {
      if (owner === null || owner === client) {
        owner = client;
        resolve();
      } else {
        waiting.push(() => {
          owner = client;
          resolve();
        });
      }
    });

  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const watcher = readyForQueryWatcher((status) => {
      if (status === IDLE) release(client);
    });
    // Client bytes are forwarded in order, each batch once this client owns the session.
    let queue = Promise.resolve();
    client.on("data", (chunk) => {
      if (isSslRequest(chunk)) watcher.expectBareByte();
      client.pause();
      queue = queue
        .then(() => acquire(client))
        .then(() => {
          upstream.write(chunk);
          if (chunk.subarray(-TERMINATE.length).equals(TERMINATE)) {
            // PostgreSQL closes the connection on Terminate; pglite-socket keeps it open, so
            // do it here, or every closed client pool would leave a connection behind.
            release(client);
            upstream.end();
            client.end();
            return;
          }
          client.resume();
        });
    });
    upstream.on("data", (chunk) => {
      client.write(chunk);
      watcher(chunk);
    });
    const close = () => {
      release(client);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close);
    client.on("error", close);
    upstream.on("close", close);
    upstream.on("error", close);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
