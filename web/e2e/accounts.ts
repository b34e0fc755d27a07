// Signing up in the browser as a new company's owner: the form, then the confirmation link
// from the mail catcher, landing on the overview signed in.
import type { Page } from "playwright-core";
import { linkUrl, waitForMail } from "../../test/mail";

export const PASSWORD = "a long enough passphrase";

export async function signUpInBrowser(
  page: Page,
  mailUrl: string,
  owner: { company: string; name: string; email: string },
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Company name").fill(owner.company);
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByTestId("signup-sent").waitFor();
  const mail = await waitForMail(mailUrl, owner.email, { subject: "Confirm your email" });
  await page.goto(linkUrl(mail));
  await page.getByRole("button", { name: "Confirm and create my account" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}
