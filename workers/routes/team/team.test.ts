// The team: invites, roles enforced by the API, who may change whom, and tenant isolation.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client";
import { sfRestaurant } from "../../../test/fixtures";
import { call } from "../../../test/helpers";
import { waitForMail } from "../../../test/mail";
import {
  addMember,
  asUser,
  inviteToken,
  mailApi,
  PASSWORD,
  signUp,
  uniqueEmail,
} from "../../../test/sessions";

describe("invites", () => {
  it("emails the link to the invitee only, stores only its hash, and works once", async () => {
    const owner = await signUp("Invite Kitchen");
    const email = uniqueEmail("invitee");
    const created = await asUser(owner, "/v1/invites", { method: "POST", json: { email, role: "viewer" } });
    expect(created.status).toBe(201);
    const invited = (await created.json()) as { invite: { id: string }; emailSent: boolean };
    expect(invited.emailSent).toBe(true);
    const mail = await waitForMail(mailApi(), email, { subject: "invited" });
    expect(mail.subject).toBe("You're invited to Invite Kitchen on Prep");
    const body = { ...invited, token: await inviteToken(email) };
    expect(mail.text).toContain(`https://prep.test/accept-invite#token=${body.token}`);
    expect(JSON.stringify(invited)).not.toContain(body.token);

    const list = await (await asUser(owner, "/v1/invites")).text();
    expect(list).toContain(body.invite.id);
    expect(list).not.toContain(body.token);
    const ownerDb = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    try {
      const rows = (await ownerDb.db.execute(sql`SELECT * FROM invites WHERE id = ${body.invite.id}`)).rows;
      expect(JSON.stringify(rows)).not.toContain(body.token);
    } finally {
      await ownerDb.close();
    }

    const accepted = await call("/v1/auth/invites/accept", {
      method: "POST",
      json: { token: body.token, name: "Vic", password: PASSWORD },
    });
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({
      user: { email, role: "viewer", name: "Vic" },
      tenant: { id: owner.tenantId },
    });
    const again = await call("/v1/auth/invites/accept", {
      method: "POST",
      json: { token: body.token, password: PASSWORD },
    });
    expect(again.status).toBe(410);
    const unknown = await call("/v1/auth/invites/accept", {
      method: "POST",
      json: { token: "f".repeat(64), password: PASSWORD },
    });
    expect(unknown.status).toBe(404);
  });

  it("can be withdrawn", async () => {
    const owner = await signUp();
    const { invite } = (await (
      await asUser(owner, "/v1/invites", { method: "POST", json: { email: uniqueEmail(), role: "admin" } })
    ).json()) as {
      invite: { id: string };
    };
    expect((await asUser(owner, `/v1/invites/${invite.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asUser(owner, `/v1/invites/${invite.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("roles", () => {
  it("a viewer reads but cannot change anything (403 on every write)", async () => {
    const owner = await signUp();
    const facility = (await (
      await asUser(owner, "/v1/facilities", { method: "POST", json: sfRestaurant() })
    ).json()) as { id: string };
    const viewer = await addMember(owner, "viewer");

    expect((await asUser(viewer, "/v1/facilities")).status).toBe(200);
    expect((await asUser(viewer, `/v1/facilities/${facility.id}`)).status).toBe(200);
    expect((await asUser(viewer, "/v1/users")).status).toBe(200);
    const writes: [string, string, unknown?][] = [
      ["POST", "/v1/facilities", sfRestaurant()],
      ["PATCH", `/v1/facilities/${facility.id}`, { name: "Renamed" }],
      ["DELETE", `/v1/facilities/${facility.id}`],
      ["POST", `/v1/facilities/${facility.id}/checks`, {}],
      ["POST", "/v1/keys", { name: "Sneaky" }],
      ["GET", "/v1/keys"],
      ["POST", "/v1/invites", { email: uniqueEmail(), role: "admin" }],
      ["PATCH", `/v1/users/${owner.userId}`, { role: "viewer" }],
      ["POST", "/v1/groups", { name: "West", kind: "region" }],
    ];
    for (const [method, path, json] of writes) {
      const response = await asUser(viewer, path, { method, ...(json === undefined ? {} : { json }) });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/viewer/);
    }
  });

  it("applies a role change at once to an existing session", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "viewer");
    expect((await asUser(member, "/v1/keys", { method: "POST", json: { name: "K" } })).status).toBe(403);
    const changed = await asUser(owner, `/v1/users/${member.userId}`, {
      method: "PATCH",
      json: { role: "admin" },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ role: "admin" });
    expect((await asUser(member, "/v1/keys", { method: "POST", json: { name: "K" } })).status).toBe(201);
  });

  it("ends a removed member's session at once (401)", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "manager");
    expect((await asUser(owner, `/v1/users/${member.userId}`, { method: "DELETE" })).status).toBe(204);
    expect((await asUser(member, "/v1/session")).status).toBe(401);
  });

  it("only owners make or change owners; nobody changes themselves", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const viewer = await addMember(owner, "viewer");
    const promote = await asUser(admin, `/v1/users/${viewer.userId}`, {
      method: "PATCH",
      json: { role: "owner" },
    });
    expect(promote.status).toBe(403);
    expect(await promote.json()).toMatchObject({ code: "owner_only" });
    expect((await asUser(admin, `/v1/users/${owner.userId}`, { method: "DELETE" })).status).toBe(403);
    expect(
      (await asUser(admin, "/v1/invites", { method: "POST", json: { email: uniqueEmail(), role: "owner" } }))
        .status,
    ).toBe(403);
    const self = await asUser(owner, `/v1/users/${owner.userId}`, {
      method: "PATCH",
      json: { role: "viewer" },
    });
    expect(self.status).toBe(409);
    expect(await self.json()).toMatchObject({ code: "cannot_change_self" });
    expect(
      (await asUser(admin, `/v1/users/${viewer.userId}`, { method: "PATCH", json: { role: "manager" } }))
        .status,
    ).toBe(200);
    expect(
      (await asUser(owner, `/v1/users/${admin.userId}`, { method: "PATCH", json: { role: "owner" } })).status,
    ).toBe(200);
  });

  it("API keys never manage the team (no team scopes)", async () => {
    const owner = await signUp();
    const { key } = (await (
      await asUser(owner, "/v1/keys", { method: "POST", json: { name: "All scopes" } })
    ).json()) as { key: string };
    const response = await call("/v1/users", { key });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ requiredScope: "team:read" });
  });
});

describe("tenant isolation", () => {
  it("hides another tenant's members, invites and locations (404 / 422)", async () => {
    const a = await signUp("A Co");
    const b = await signUp("B Co");
    const bMember = await addMember(b, "viewer");
    const bFacility = (await (
      await asUser(b, "/v1/facilities", { method: "POST", json: sfRestaurant() })
    ).json()) as { id: string };

    const team = (await (await asUser(a, "/v1/users")).json()) as { data: { id: string }[] };
    expect(team.data.map((u) => u.id)).toEqual([a.userId]);
    expect(
      (await asUser(a, `/v1/users/${bMember.userId}`, { method: "PATCH", json: { role: "admin" } })).status,
    ).toBe(404);
    expect((await asUser(a, `/v1/users/${bMember.userId}`, { method: "DELETE" })).status).toBe(404);
    const foreign = await asUser(a, "/v1/invites", {
      method: "POST",
      json: { email: uniqueEmail(), role: "manager", facilityIds: [bFacility.id] },
    });
    expect(foreign.status).toBe(422);
    expect(await foreign.json()).toMatchObject({ errors: [{ pointer: "/facilityIds/0" }] });
    expect((await asUser(a, `/v1/facilities/${bFacility.id}`)).status).toBe(404);
  });
});
