/**
 * `npm start`'s demo tenant: its credentials (kept under the data directory) and the demo
 * data it is seeded with on the first run.
 *
 * The demo data is eight locations of one restaurant group across the covered states, some
 * compliant, some at risk, some not. Every date is relative to the day of seeding, so the
 * intended statuses hold on whatever day it runs. Seeding goes through the running Worker's
 * own HTTP API with the demo API key, exactly as an API client would: verdicts, check
 * history, the tenant object's state and its drift alerts are all produced by the product.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { openNodeDatabase } from "../db/local/node-database";
import { createTenant } from "../db/tenants";

export type Status = "compliant" | "at_risk" | "non_compliant";

export interface DemoCredentials {
  tenantId: string;
  apiKey: string;
}

const DEMO_TENANT_NAME = "Demo Kitchen Co";

// ---- The demo tenant ----

/**
 * The demo tenant of this database, created when missing. `reset` deletes the previous demo
 * tenant and everything stored for it (facilities, check history, keys, users, audit
 * entries) and creates a fresh one: a new tenant id is also a fresh tenant object, so its
 * usage ledger and alerts start empty too. The API key changes with it.
 */
export async function ensureDemoTenant(
  ownerUrl: string,
  dataDir: string,
  options: { reset?: boolean; embedded?: boolean } = {},
): Promise<DemoCredentials> {
  // One file per database: the embedded one is the data directory's own, whatever port it is
  // served on; another is known by its URL (as the embedded one also was, formerly).
  const byUrl = resolve(
    dataDir,
    `demo-${createHash("sha256").update(ownerUrl).digest("hex").slice(0, 12)}.json`,
  );
  const file = options.embedded ? resolve(dataDir, "demo-embedded.json") : byUrl;
  const handle = await openNodeDatabase(ownerUrl);
  try {
    const found = existsSync(file) ? file : existsSync(byUrl) ? byUrl : null;
    if (found) {
      const saved = JSON.parse(readFileSync(found, "utf8")) as DemoCredentials;
      if (found !== file) {
        writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
        rmSync(found);
      }
      const stored = await handle.db.execute(sql`SELECT 1 FROM tenants WHERE id = ${saved.tenantId}`);
      if (stored.rows.length > 0 && !options.reset) return saved;
      if (stored.rows.length > 0) {
        // The owner connection is not subject to row-level security. Check history and the
        // audit log have no foreign key to tenants; everything else cascades.
        await handle.db.transaction(async (tx) => {
          await tx.execute(sql`DELETE FROM checks WHERE tenant_id = ${saved.tenantId}`);
          await tx.execute(sql`DELETE FROM audit_log WHERE tenant_id = ${saved.tenantId}`);
          await tx.execute(sql`DELETE FROM tenants WHERE id = ${saved.tenantId}`);
        });
      }
      rmSync(seededMarker(dataDir, saved.tenantId), { force: true });
      rmSync(resolve(dataDir, `demo-admin-${saved.tenantId}.json`), { force: true });
    }
    const created = await createTenant(handle.db, {
      name: DEMO_TENANT_NAME,
      mode: "test",
      actor: "npm start",
      // Growth covers three states; Illinois and New York are state add-ons.
      billing: { plan: "growth", states: ["CA", "TX", "FL", "IL", "NY"] },
    });
    const demo = { tenantId: created.tenantId, apiKey: created.apiKey.key };
    writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
    return demo;
  } finally {
    await handle.close();
  }
}

// ---- The demo data ----

export interface DemoLocation {
  facility: Record<string, unknown>;
  /** The status the facility is meant to have today (after `drift`, when there is one). */
  expected: Status;
  /** Why, in a few words. */
  story: string;
  /** Created compliant, then changed with this merge patch: the tenant object raises an alert. */
  drift?: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

/** The calendar dates around `today` (UTC, as the Worker's checks use). */
function calendar(today: Date) {
  const base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const day = (offset: number) => new Date(base + offset * DAY_MS).toISOString().slice(0, 10);
  /** A reading `daysAgo` days back at a time of day (UTC); never in the future. */
  const at = (daysAgo: number, time: string) => `${day(-daysAgo)}T${time}:00Z`;
  return { day, at };
}

const CA = "ocd-division/country:us/state:ca";
const TX = "ocd-division/country:us/state:tx";
const FL = "ocd-division/country:us/state:fl";
const IL = "ocd-division/country:us/state:il";
const NY = "ocd-division/country:us/state:ny";

/** The demo restaurant group's locations, dated relative to `today`. */
export function demoLocations(today = new Date()): DemoLocation[] {
  const { day, at } = calendar(today);
  /** A credential issued `ago` days back, valid for `years` (expiry given explicitly). */
  const credential = (type: string, ago: number, years: number, issuer?: string) => ({
    type,
    ...(issuer ? { issuer } : {}),
    issuedAt: day(-ago),
    expiresAt: day(-ago + Math.round(years * 365.25) - 1),
  });
  const cold = (daysAgo: number, time: string, item: string, tempF: number) => ({
    at: at(daysAgo, time),
    item,
    mode: "cold_holding",
    tempF,
  });
  const hot = (daysAgo: number, time: string, item: string, tempF: number) => ({
    at: at(daysAgo, time),
    item,
    mode: "hot_holding",
    tempF,
  });

  const losAngelesStaff = [
    {
      id: "lax-m1",
      name: "Rosa Delgado",
      role: "manager",
      hiredAt: day(-2150),
      credentials: [credential("food_protection_manager", 900, 5)],
    },
    {
      id: "lax-e1",
      name: "Kevin Park",
      role: "food_employee",
      hiredAt: day(-620),
      credentials: [credential("food_handler_card", 610, 3, CA)],
    },
    {
      id: "lax-e2",
      name: "Alma Castillo",
      role: "food_employee",
      hiredAt: day(-140),
      credentials: [credential("food_handler_card", 131, 3, CA)],
    },
  ];

  const houstonLogs = [
    cold(3, "14:00", "walk-in cooler", 37),
    hot(3, "19:30", "smoked brisket", 148),
    cold(2, "14:05", "walk-in cooler", 38),
    hot(2, "19:30", "smoked brisket", 151),
    cold(1, "14:00", "walk-in cooler", 38),
    hot(1, "19:40", "pinto beans", 162),
  ];

  return [
    {
      expected: "compliant",
      story: "all current",
      facility: {
        name: "Mission Street Kitchen",
        type: "restaurant",
        address: { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
        openedAt: day(-2300),
        permits: [
          {
            type: "health_permit",
            number: "SF-HP-204417",
            issuer: `${CA}/place:san_francisco`,
            issuedAt: day(-140),
            expiresAt: day(224),
          },
        ],
        staff: [
          {
            id: "sf-m1",
            name: "Ana Reyes",
            role: "manager",
            hiredAt: day(-1900),
            credentials: [credential("food_protection_manager", 700, 5)],
          },
          {
            id: "sf-e1",
            name: "Luis Ortega",
            role: "food_employee",
            hiredAt: day(-400),
            credentials: [credential("food_handler_card", 395, 3, CA)],
          },
          {
            id: "sf-e2",
            name: "Mei Chen",
            role: "food_employee",
            hiredAt: day(-60),
            credentials: [credential("food_handler_card", 52, 3, CA)],
          },
        ],
        inspections: [{ date: day(-96), score: 92 }],
        temperatureLogs: [
          cold(2, "16:00", "walk-in cooler", 38),
          hot(2, "19:00", "chicken pozole", 158),
          cold(1, "16:05", "prep line cold well", 40),
          hot(1, "19:10", "chicken pozole", 155),
        ],
      },
    },
    {
      expected: "at_risk",
      story: "a new hire has no food handler card yet (drift: was compliant)",
      facility: {
        name: "Sunset Boulevard Grill",
        type: "restaurant",
        address: { line1: "6801 Sunset Blvd", city: "Los Angeles", state: "CA", postalCode: "90028" },
        openedAt: day(-2200),
        permits: [
          {
            type: "health_permit",
            number: "PR0048213",
            issuer: `${CA}/county:los_angeles`,
            issuedAt: day(-200),
            expiresAt: day(164),
          },
        ],
        staff: losAngelesStaff,
        inspections: [{ date: day(-81), score: 94, grade: "A" }],
        temperatureLogs: [cold(1, "15:30", "reach-in cooler", 39), hot(1, "20:00", "carnitas", 149)],
      },
      drift: {
        staff: [
          ...losAngelesStaff,
          { id: "lax-e3", name: "Jordan Blake", role: "food_employee", hiredAt: day(-6) },
        ],
      },
    },
    {
      expected: "at_risk",
      story: "the only certified food manager's certificate expires in 12 days",
      facility: {
        name: "Congress Avenue Taqueria",
        type: "restaurant",
        address: { line1: "1500 S Congress Ave", city: "Austin", state: "TX", postalCode: "78704" },
        openedAt: day(-1650),
        permits: [
          {
            type: "health_permit",
            number: "APH-FE-31877",
            issuer: `${TX}/place:austin`,
            issuedAt: day(-230),
            expiresAt: day(134),
          },
        ],
        staff: [
          {
            id: "atx-m1",
            name: "Diego Morales",
            role: "manager",
            hiredAt: day(-1640),
            credentials: [{ type: "food_protection_manager", issuedAt: day(-1814), expiresAt: day(12) }],
          },
          {
            id: "atx-e1",
            name: "Carmen Ruiz",
            role: "food_employee",
            hiredAt: day(-500),
            credentials: [credential("food_handler_card", 330, 2)],
          },
          {
            id: "atx-e2",
            name: "Tyler Nguyen",
            role: "food_employee",
            hiredAt: day(-90),
            credentials: [credential("food_handler_card", 84, 2)],
          },
        ],
        temperatureLogs: [cold(1, "17:00", "salsa station", 39), hot(1, "18:00", "barbacoa", 150)],
      },
    },
    {
      expected: "non_compliant",
      story: "the walk-in cooler read 47°F yesterday (drift: was compliant)",
      facility: {
        name: "Westheimer Smokehouse",
        type: "restaurant",
        address: { line1: "2800 Westheimer Rd", city: "Houston", state: "TX", postalCode: "77098" },
        openedAt: day(-1300),
        permits: [
          {
            type: "food_dealer_permit",
            number: "HOU-FDP-0672291",
            issuer: `${TX}/place:houston`,
            issuedAt: day(-150),
            expiresAt: day(214),
          },
        ],
        staff: [
          {
            id: "hou-m1",
            name: "Marcus Johnson",
            role: "manager",
            hiredAt: day(-1290),
            credentials: [credential("food_protection_manager", 1100, 5)],
          },
          {
            id: "hou-e1",
            name: "Lupe Hernandez",
            role: "food_employee",
            hiredAt: day(-700),
            credentials: [credential("food_handler_card", 200, 2)],
          },
          {
            id: "hou-e2",
            name: "Sam Okafor",
            role: "food_employee",
            hiredAt: day(-45),
            credentials: [credential("food_handler_card", 40, 2)],
          },
        ],
        temperatureLogs: houstonLogs,
      },
      drift: {
        temperatureLogs: [...houstonLogs, cold(1, "21:15", "walk-in cooler (potato salad)", 47)],
      },
    },
    {
      expected: "non_compliant",
      story: "the DBPR food service license expired 9 days ago",
      facility: {
        name: "Brickell Bay Café",
        type: "restaurant",
        address: { line1: "1101 Brickell Ave", city: "Miami", state: "FL", postalCode: "33131" },
        openedAt: day(-1500),
        permits: [
          {
            type: "public_food_service_license",
            number: "SEA2331904",
            issuer: FL,
            issuedAt: day(-374),
            expiresAt: day(-9),
          },
        ],
        staff: [
          {
            id: "mia-m1",
            name: "Isabel Fuentes",
            role: "manager",
            hiredAt: day(-1490),
            credentials: [credential("food_protection_manager", 800, 5)],
          },
          {
            id: "mia-e1",
            name: "Andre Baptiste",
            role: "food_employee",
            hiredAt: day(-600),
            credentials: [credential("food_handler_card", 590, 3)],
          },
          {
            id: "mia-e2",
            name: "Valentina Cruz",
            role: "food_employee",
            hiredAt: day(-260),
            credentials: [credential("food_handler_card", 255, 3)],
          },
          {
            id: "mia-e3",
            name: "Noah Pierre",
            role: "food_employee",
            hiredAt: day(-75),
            credentials: [credential("food_handler_card", 70, 3)],
          },
        ],
        temperatureLogs: [cold(1, "13:00", "seafood display case", 38), hot(1, "12:30", "black beans", 145)],
      },
    },
    {
      expected: "compliant",
      story: "all current",
      facility: {
        name: "Lake Eola Catering Co.",
        type: "caterer",
        address: { line1: "195 N Rosalind Ave", city: "Orlando", state: "FL", postalCode: "32801" },
        openedAt: day(-900),
        permits: [
          {
            type: "public_food_service_license",
            number: "CAT5810472",
            issuer: FL,
            issuedAt: day(-100),
            expiresAt: day(264),
          },
        ],
        staff: [
          {
            id: "orl-m1",
            name: "Grace Whitfield",
            role: "owner",
            hiredAt: day(-900),
            credentials: [credential("food_protection_manager", 880, 5)],
          },
          {
            id: "orl-m2",
            name: "Tomás Rivera",
            role: "manager",
            hiredAt: day(-420),
            credentials: [credential("food_protection_manager", 400, 5)],
          },
          {
            id: "orl-e1",
            name: "Keisha Brown",
            role: "food_employee",
            hiredAt: day(-300),
            credentials: [credential("food_handler_card", 290, 3)],
          },
        ],
        temperatureLogs: [
          cold(2, "10:00", "catering van cooler", 36),
          hot(2, "11:30", "chafing dishes", 146),
        ],
      },
    },
    {
      expected: "compliant",
      story: "all current, including Chicago's own manager certificate",
      facility: {
        name: "Wicker Park Diner",
        type: "restaurant",
        address: { line1: "1520 N Milwaukee Ave", city: "Chicago", state: "IL", postalCode: "60622" },
        openedAt: day(-3100),
        permits: [
          {
            type: "health_permit",
            number: "CHI-RFE-2417760",
            issuer: `${IL}/place:chicago`,
            issuedAt: day(-180),
            expiresAt: day(184),
          },
        ],
        staff: [
          {
            id: "chi-m1",
            name: "Dana Kowalski",
            role: "manager",
            hiredAt: day(-3000),
            credentials: [
              credential("food_protection_manager", 500, 5),
              credential("local_manager_certificate", 480, 5, `${IL}/place:chicago`),
              credential("allergen_awareness", 480, 3),
            ],
          },
          {
            id: "chi-e1",
            name: "Marcus Lee",
            role: "food_employee",
            hiredAt: day(-800),
            credentials: [credential("food_handler_card", 200, 3)],
          },
          {
            id: "chi-e2",
            name: "Priya Shah",
            role: "food_employee",
            hiredAt: day(-120),
            credentials: [credential("food_handler_card", 115, 3)],
          },
        ],
        temperatureLogs: [cold(1, "07:00", "walk-in cooler", 37), hot(1, "08:00", "hash browns", 140)],
      },
    },
    {
      expected: "non_compliant",
      story: "no certified manager since the last one left",
      facility: {
        name: "Mott Street Noodle House",
        type: "restaurant",
        address: { line1: "50 Mott St", city: "New York", state: "NY", postalCode: "10013" },
        openedAt: day(-2600),
        permits: [
          {
            type: "health_permit",
            number: "PA-50238817",
            issuer: `${NY}/place:new_york`,
            issuedAt: day(-250),
            expiresAt: day(114),
          },
        ],
        staff: [
          { id: "nyc-m1", name: "Wei Zhang", role: "manager", hiredAt: day(-40) },
          { id: "nyc-e1", name: "Lily Wong", role: "food_employee", hiredAt: day(-1000) },
          { id: "nyc-e2", name: "Hector Ramos", role: "food_employee", hiredAt: day(-300) },
        ],
        inspections: [{ date: day(-90), score: 11, grade: "A" }],
        temperatureLogs: [cold(1, "15:00", "walk-in cooler", 39), hot(1, "18:00", "pork broth", 170)],
      },
    },
  ];
}

// ---- Seeding through the API ----

/** Where a successful seeding is recorded: the demo tenant is seeded once. */
function seededMarker(dataDir: string, tenantId: string): string {
  return resolve(dataDir, `demo-seeded-${tenantId}.json`);
}

export interface SeedRecord {
  seededAt: string;
  summary: string;
}

/** The record of this demo tenant's seeding, or null when it has not been seeded. */
export function demoSeeded(dataDir: string, tenantId: string): SeedRecord | null {
  const file = seededMarker(dataDir, tenantId);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SeedRecord) : null;
}

export interface SeedResult {
  /** False when the tenant already had facilities, so nothing was added. */
  seeded: boolean;
  /** One line: what was seeded (or why not). */
  summary: string;
  /** Statuses that did not come out as intended, seeding steps that failed. */
  warnings: string[];
}

function client(baseUrl: string, apiKey: string) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 300);
      try {
        const problem = JSON.parse(text) as {
          detail?: string;
          errors?: { pointer: string; detail: string }[];
        };
        const errors = (problem.errors ?? []).map((e) => `${e.pointer}: ${e.detail}`).join("; ");
        detail = errors ? `${problem.detail ?? ""} (${errors})` : (problem.detail ?? detail);
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${method} ${path} → ${response.status}: ${detail}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

const STATUS_LABEL: Record<Status, string> = {
  compliant: "compliant",
  at_risk: "at risk",
  non_compliant: "non-compliant",
};

function describeCounts(statuses: Status[]): string {
  return (["compliant", "at_risk", "non_compliant"] as const)
    .map((status) => `${statuses.filter((s) => s === status).length} ${STATUS_LABEL[status]}`)
    .join(", ");
}

/**
 * Seeds the demo tenant through the running Worker at `baseUrl` with its API key, then reads
 * the statuses back and compares them with the intended ones. Never throws for a failed
 * step: it reports it in `warnings` and goes on. Skips (with a summary saying so) when the
 * tenant already has facilities, e.g. after an interrupted seeding.
 */
export async function seedDemoTenant(
  baseUrl: string,
  demo: DemoCredentials,
  dataDir: string,
  today = new Date(),
): Promise<SeedResult> {
  const api = client(baseUrl, demo.apiKey);
  const warnings: string[] = [];
  const existing = await api<{ data: unknown[] }>("GET", "/v1/facilities?limit=1");
  if (existing.data.length > 0) {
    return { seeded: false, summary: "the demo tenant already has locations, so none were added", warnings };
  }

  const { day } = calendar(today);
  const locations = demoLocations(today);
  const created: { id: string; location: DemoLocation }[] = [];
  let checks = 0;
  const check = async (id: string, asOf?: string) => {
    await api("POST", `/v1/facilities/${id}/checks`, asOf ? { asOf } : {});
    checks++;
  };
  for (const location of locations) {
    const name = String(location.facility.name);
    try {
      const facility = await api<{ id: string; status: Status }>("POST", "/v1/facilities", location.facility);
      created.push({ id: facility.id, location });
      if (location.drift && facility.status !== "compliant")
        warnings.push(`${name} was meant to start compliant but is ${STATUS_LABEL[facility.status]}`);
      // A little history: how it stood four and two weeks ago, and today.
      await check(facility.id, day(-28));
      await check(facility.id, day(-14));
      await check(facility.id);
      if (location.drift) {
        await api("PATCH", `/v1/facilities/${facility.id}`, location.drift);
        await check(facility.id);
      }
    } catch (error) {
      warnings.push(`could not seed ${name}: ${(error as Error).message}`);
    }
  }

  // Read back what the product concluded.
  const statuses: Status[] = [];
  try {
    const stored = await api<{ data: { id: string; name: string; status: Status }[] }>(
      "GET",
      "/v1/facilities?limit=100",
    );
    const byId = new Map(stored.data.map((facility) => [facility.id, facility]));
    for (const { id, location } of created) {
      const status = byId.get(id)?.status;
      if (!status) {
        warnings.push(`${location.facility.name} is missing from the facility list`);
        continue;
      }
      statuses.push(status);
      if (status !== location.expected)
        warnings.push(
          `${location.facility.name} is ${STATUS_LABEL[status]}, meant to be ${STATUS_LABEL[location.expected]} (${location.story})`,
        );
    }
  } catch (error) {
    warnings.push(`could not read the facilities back: ${(error as Error).message}`);
  }
  let alerts = 0;
  try {
    alerts = (await api<{ data: unknown[] }>("GET", "/v1/alerts?limit=100")).data.length;
    const expectedAlerts = locations.filter((location) => location.drift).length;
    if (alerts < expectedAlerts) warnings.push(`${alerts} alerts raised, ${expectedAlerts} expected`);
  } catch (error) {
    warnings.push(`could not read the alerts back: ${(error as Error).message}`);
  }

  const states = [
    ...new Set(created.map(({ location }) => (location.facility.address as { state: string }).state)),
  ];
  const summary = `${created.length} locations in ${states.join(", ")} (${describeCounts(statuses)}), ${checks} checks, ${alerts} ${alerts === 1 ? "alert" : "alerts"}`;
  if (created.length > 0) {
    const record: SeedRecord = { seededAt: new Date().toISOString(), summary };
    writeFileSync(seededMarker(dataDir, demo.tenantId), JSON.stringify(record, null, 2), { mode: 0o600 });
  }
  return { seeded: created.length > 0, summary, warnings };
}
