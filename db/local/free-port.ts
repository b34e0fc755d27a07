/**
 * A loopback TCP port nobody listens on right now, for the local servers that development
 * tooling and tests start (npm start's Worker and embedded database, the smoke and fuzz runs,
 * the browser tests).
 */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}
