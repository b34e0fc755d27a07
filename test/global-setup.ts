/**
 * Runs once in Node before the suite: a real database (DATABASE_URL, else an in-memory
 * embedded PGlite), migrated and seeded, and the WebSocket bridge the Worker under test
 * reaches it through. Tests get the Worker's connection string and the bridge address, and
 * the address of a local HTTP server standing in for dataset sources and incident webhooks,
 * the mail catcher the Worker sends email to (tests read it: test/mail.ts), a server
 * speaking Stripe's wire format, one speaking Segment's and Amplitude's, and one Twilio's.
 */
import type { TestProject } from "vitest/node";
import { startMailCatcher } from "../db/local/mail-catcher";
import { startLocalDatabase } from "../db/local/stack";
import { startAnalyticsFake } from "./analytics-server";
import { startRegulatorServer } from "./regulator-server";
import { startStripeFake } from "./stripe-server";
import { startTwilioFake } from "./twilio-server";
import { startUpstreamServer } from "./upstream-server";

declare module "vitest" {
  export interface ProvidedContext {
    workerDatabaseUrl: string;
    ownerDatabaseUrl: string;
    wsProxy: string;
    databaseKind: "postgres" | "pglite";
    /** test/upstream-server.ts: controllable dataset sources and a webhook recorder. */
    upstreamUrl: string;
    /** The mail catcher: the Worker's MAIL_URL (SMTP) and its REST API. */
    mailSmtpUrl: string;
    mailWebUrl: string;
    /** test/stripe-server.ts: Stripe's API for the endpoints Prep uses, and its test controls. */
    stripeUrl: string;
    /** test/analytics-server.ts: Segment's `/v1/batch` and Amplitude's `/2/httpapi`, and their test controls. */
    analyticsUrl: string;
    /** test/twilio-server.ts: Twilio's Messages resource, and its test controls. */
    twilioUrl: string;
    /** test/regulator-server.ts: eCFR, Federal Register, Legistar and agency pages for the source watchers. */
    regulatorUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  project.provide("ownerDatabaseUrl", database.ownerUrl);
  project.provide("workerDatabaseUrl", database.workerUrl);
  project.provide("wsProxy", database.wsProxy);
  project.provide("databaseKind", database.kind);
  const upstream = await startUpstreamServer({ setDatabaseAvailable: database.setAvailable });
  project.provide("upstreamUrl", upstream.url);
  const mail = await startMailCatcher();
  project.provide("mailSmtpUrl", mail.smtpUrl);
  project.provide("mailWebUrl", mail.webUrl);
  const stripe = await startStripeFake();
  project.provide("stripeUrl", stripe.url);
  // Product analytics' destinations (Segment, Amplitude) on loopback.
  const analytics = await startAnalyticsFake();
  project.provide("analyticsUrl", analytics.url);
  // SMS: Twilio's Messages resource on loopback.
  const twilio = await startTwilioFake();
  project.provide("twilioUrl", twilio.url);
  // The official sources the source watchers read (pipeline/watchers.ts), on loopback.
  const regulators = await startRegulatorServer();
  project.provide("regulatorUrl", regulators.url);

  return async () => {
    await mail.stop();
    await upstream.close();
    await stripe.close();
    await analytics.close();
    await twilio.close();
    await regulators.close();
    await database.stop();
  };
}
