/**
 * What each scope a partner may hold over a business means, in the owner's words (the
 * Partners page and the consent screen; docs/partners.md "Scopes").
 */
export const PARTNER_SCOPE_LABELS: Record<string, string> = {
  "tenants:read":
    "See your locations (with the staff and credentials entered on them) and their compliance status",
  "facilities:write": "Add locations for you (e.g. at their kitchen's address)",
  "checks:write": "Run compliance checks and read the findings (they count toward your usage)",
};

export const scopeLabel = (scope: string) => PARTNER_SCOPE_LABELS[scope] ?? scope;
