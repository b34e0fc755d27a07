// The one mail delivery: real SMTP from workerd to the mail catcher, read back through its
// REST API. Non-ASCII text, lines starting with a dot and header injection attempts arrive
// as written (or are neutralised); a deployment without MAIL_URL drops mail without failing.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { waitForMail } from "../../test/mail";
import { mailApi, uniqueEmail } from "../../test/sessions";
import { mailDelivery, smtpServer } from "./delivery";

describe("mail delivery over SMTP", () => {
  it("delivers text and HTML intact: UTF-8, a line that is only a dot, a very long line", async () => {
    const to = uniqueEmail("mail");
    const long = "x".repeat(2_000);
    const text = `Café ✓ Größe\n.\n..two dots\n${long}\nend`;
    await mailDelivery({ MAIL_URL: env.MAIL_URL }).send({
      to,
      subject: "Prüfung — façade",
      text,
      html: "<p>Café <b>✓</b></p>",
    });
    const mail = await waitForMail(mailApi(), to);
    expect(mail.subject).toBe("Prüfung — façade");
    expect(mail.text.replace(/\r\n/g, "\n").trimEnd()).toBe(text);
    expect(mail.html).toContain("Café <b>✓</b>");
  });

  it("keeps a subject's line breaks from adding headers", async () => {
    const to = uniqueEmail("inject");
    await mailDelivery({ MAIL_URL: env.MAIL_URL }).send({
      to,
      subject: "Hello\r\nBcc: victim@example.test",
      text: "body",
    });
    const mail = await waitForMail(mailApi(), to);
    expect(mail.subject).toBe("Hello Bcc: victim@example.test");
    expect(JSON.stringify(mail)).not.toMatch(/"bcc":\s*\[\s*\{/i);
  });

  it("refuses an address that could smuggle an SMTP command", async () => {
    await expect(
      mailDelivery({ MAIL_URL: env.MAIL_URL }).send({ to: "a@b.test>\r\nRSET", subject: "s", text: "t" }),
    ).rejects.toThrow(/not a mail address/);
  });

  it("without MAIL_URL, logs the drop (subject only) and does not fail", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await mailDelivery({}).send({ to: "someone@example.test", subject: "Reset", text: "secret link" });
      expect(log).toHaveBeenCalledOnce();
      expect(String(log.mock.calls[0]?.[0])).toMatch(/MAIL_URL is not set/);
      expect(String(log.mock.calls[0]?.[0])).not.toMatch(/secret link/);
    } finally {
      log.mockRestore();
    }
  });

  it("reads the transport from MAIL_URL", () => {
    expect(smtpServer("smtp://127.0.0.1:1025")).toEqual({ hostname: "127.0.0.1", port: 1025, tls: false });
    expect(smtpServer("smtps://user%40x:p%3Ass@smtp.example.com")).toEqual({
      hostname: "smtp.example.com",
      port: 465,
      tls: true,
      auth: { user: "user@x", password: "p:ss" },
    });
    expect(() => smtpServer("https://api.example.com")).toThrow(/smtp:\/\/ or smtps:\/\//);
  });
});
