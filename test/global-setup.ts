/**
 * Runs once in Node before the suite: a real database (DATABASE_URL, else an in-memory
 * embedded PGlite), migrated and seeded, and the WebSocket bridge the Worker under test
 * reaches it through. Tests get the Worker's connection string and the bridge address, and
 * the address of a local HTTP server standing in for dataset sources and incident webhooks.
 */
import type { TestProject } from "vitest/node";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/local/embedded";
import { prepareDatabase, workerDatabaseUrl } from "../db/local/prepare";
import { startWsBridge } from "../db/local/ws-bridge";
import { startUpstreamServer } from "./upstream-server";

declare module "vitest" {
  export interface ProvidedContext {
    workerDatabaseUrl: string;
    ownerDatabaseUrl: string;
    wsProxy: string;
    databaseKind: "postgres" | "pglite";
    /** test/upstream-server.ts: controllable dataset sources and a webhook recorder. */
    upstreamUrl: string;
  }
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({});
    ownerUrl = embedded.url;
  }
  await prepareDatabase(ownerUrl);
  const target = new URL(ownerUrl);
  const bridge = await startWsBridge({
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });

  project.provide("ownerDatabaseUrl", ownerUrl);
  project.provide("workerDatabaseUrl", workerDatabaseUrl(ownerUrl));
  project.provide("wsProxy", bridge.proxy);
  project.provide("databaseKind", embedded ? "pglite" : "postgres");
  const upstream = await startUpstreamServer();
  project.provide("upstreamUrl", upstream.url);

  return async () => {
    await upstream.close();
    await bridge.close();
    await embedded?.stop();
  };
}
