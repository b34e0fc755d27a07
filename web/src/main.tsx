/**
 * Entry: mounts the app. Signed out, only the sign-in, sign-up (and its email's link),
 * password-reset and invite pages exist;
 * signed in, the pages below, each behind the navigation.
 */
import { type JSX, render } from "preact";
import { useEffect } from "preact/hooks";
import { Layout } from "./components/Layout";
import { Empty, Loading } from "./components/ui";
import { AcceptInvite } from "./pages/AcceptInvite";
import { Account } from "./pages/Account";
import { Alerts } from "./pages/Alerts";
import { ApiKeys } from "./pages/ApiKeys";
import { Billing } from "./pages/Billing";
import { Evidence } from "./pages/Evidence";
import { ForgotPassword } from "./pages/ForgotPassword";
import { LocationDetail } from "./pages/LocationDetail";
import { Locations } from "./pages/Locations";
import { NewLocation } from "./pages/NewLocation";
// Notifications (ADR 0015).
import { Notifications } from "./pages/Notifications";
import { Overview } from "./pages/Overview";
// Partners (ADR 0023): owners' grants and the consent screen.
import { PartnerConsent } from "./pages/PartnerConsent";
import { Partners } from "./pages/Partners";
// Source watchers' review queue, for Prep's platform admins (ADR 0020).
import { PlatformReviews } from "./pages/PlatformReviews";
import { ResetPassword } from "./pages/ResetPassword";
import { RuleChanges } from "./pages/RuleChanges";
import { SignIn } from "./pages/SignIn";
import { SignUp } from "./pages/SignUp";
import { Team } from "./pages/Team";
import { Usage } from "./pages/Usage";
import { VerifyEmail } from "./pages/VerifyEmail";
import { Webhooks } from "./pages/Webhooks";
import { Link, match, useLocation } from "./router";
import { SessionProvider, useSessionApi } from "./session";
import "./styles.css";

const PAGES: [string, (params: Record<string, string>) => JSX.Element, string][] = [
  ["/", () => <Overview />, "Overview"],
  ["/locations", () => <Locations />, "Locations"],
  ["/locations/new", () => <NewLocation />, "Add a location"],
  ["/locations/:id", (p) => <LocationDetail id={p.id ?? ""} />, "Location"],
  ["/alerts", () => <Alerts />, "Alerts"],
  // Regulatory change (issue 20)
  ["/rule-changes", () => <RuleChanges />, "Upcoming rule changes"],
  ["/keys", () => <ApiKeys />, "API keys"],
  ["/team", () => <Team />, "Team"],
  ["/usage", () => <Usage />, "Usage"],
  ["/account", () => <Account />, "Account"],
  ["/billing", () => <Billing />, "Billing"],
  // Notifications (ADR 0015).
  ["/notifications", () => <Notifications />, "Notifications"],
  ["/webhooks", () => <Webhooks />, "Webhooks"],
  ["/evidence", () => <Evidence />, "Evidence"],
  ["/partners", () => <Partners />, "Partners"],
  ["/oauth/authorize", () => <PartnerConsent />, "Link a partner"],
];

/** Pages of the signed-out app show the overview once signed in. */
const SIGNED_OUT_PATHS = new Set([
  "/signin",
  "/signup",
  "/accept-invite",
  "/verify-email",
  "/forgot-password",
  "/reset-password",
]);

function SignedIn() {
  const location = useLocation().pathname;
  const path = SIGNED_OUT_PATHS.has(location) ? "/" : location;
  const found = PAGES.map(([pattern, page, title]) => ({ params: match(pattern, path), page, title })).find(
    (p) => p.params,
  );
  useEffect(() => {
    document.title = `${found?.title ?? "Not found"} · Prep`;
    // Move focus to the new page so screen readers announce it.
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);
  return (
    <Layout>
      {found?.params ? (
        found.page(found.params)
      ) : (
        <Empty title="There is no page here.">
          <p>
            Go to the <Link href="/">overview</Link>.
          </p>
        </Empty>
      )}
    </Layout>
  );
}

function App() {
  const { state } = useSessionApi();
  const path = useLocation().pathname;
  // Prep's own operators: authenticated by a platform admin key, not a tenant session.
  if (path === "/platform/reviews") return <PlatformReviews />;
  if (state.status === "loading") return <Loading what="Prep" />;
  if (state.status === "signed_in") return <SignedIn />;
  if (path === "/signup") return <SignUp />;
  if (path === "/accept-invite") return <AcceptInvite />;
  if (path === "/verify-email") return <VerifyEmail />;
  if (path === "/forgot-password") return <ForgotPassword />;
  if (path === "/reset-password") return <ResetPassword />;
  return <SignIn />;
}

const root = document.getElementById("app");
if (root) {
  render(
    <SessionProvider>
      <App />
    </SessionProvider>,
    root,
  );
}
