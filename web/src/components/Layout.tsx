/**
 * The signed-in frame: skip link, navigation (only the pages the role can use), the
 * company and user, sign-out, and the page in a <main> landmark.
 */
import type { ComponentChildren } from "preact";
import { Link, useLocation } from "../router";
import { useSession, useSessionApi } from "../session";

const NAV: { href: string; label: string; scope: string; ownerOnly?: boolean }[] = [
  { href: "/", label: "Overview", scope: "facilities:read" },
  { href: "/locations", label: "Locations", scope: "facilities:read" },
  { href: "/alerts", label: "Alerts", scope: "alerts:read" },
  // Regulatory change (issue 20)
  { href: "/rule-changes", label: "Rule changes", scope: "facilities:read" },
  { href: "/keys", label: "API keys", scope: "keys:write" },
  { href: "/team", label: "Team", scope: "team:read" },
  { href: "/usage", label: "Usage", scope: "usage:read" },
  { href: "/billing", label: "Billing", scope: "billing:read" },
  // Notifications (ADR 0015).
  { href: "/notifications", label: "Notifications", scope: "alerts:read" },
  { href: "/webhooks", label: "Webhooks", scope: "webhooks:write" },
  { href: "/evidence", label: "Evidence", scope: "exports:read" },
  // Partners (ADR 0023): linking marketplaces is the owner's decision.
  { href: "/partners", label: "Partners", scope: "team:write", ownerOnly: true },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const session = useSession();
  const { signOut } = useSessionApi();
  const path = useLocation().pathname;
  const current = (href: string) => (href === "/" ? path === "/" : path.startsWith(href));
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Prep</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter(
              (item) =>
                session.scopes.includes(item.scope) && (!item.ownerOnly || session.user.role === "owner"),
            ).map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={current(item.href) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.tenant.name} ·{" "}
            <Link href="/account" aria-current={current("/account") ? "page" : undefined}>
              {session.user.name ?? session.user.email}
            </Link>{" "}
            ({session.user.role})
          </span>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
