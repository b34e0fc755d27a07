#!/usr/bin/env bash
# The weekly security check (run by .github/workflows/security-weekly.yml; runs anywhere with
# Node, npm, git, and psql/curl for the checks that need them). No stdin. Prints one summary
# line per check — PASS, FAIL, SKIP or WARN — and exits 1 if any check FAILed.
#
#   a. dependencies: `npm audit --omit=dev --audit-level=high`. When the registry's audit
#      endpoint cannot be reached the check says so and WARNs; with --strict that is a finding.
#   b. secrets in the tracked tree (`git ls-files`): private keys, Prep API keys
#      (`prep_live_`, `prep_test_`, `prep_admin_` followed by 40 base62 characters), AWS
#      access key ids, Stripe secret/restricted keys, GitHub tokens, and committed `.env`
#      files. Allow-listed (ALLOWED_SECRETS below, exact values, never whole files): test
#      fixtures that are obviously fake.
#   c. row-level security in the catalog of DATABASE_URL: the SQL of db/rls-catalog.ts
#      (RLS_FAILURES_SQL) through psql, compared with the failures known today. Skipped when
#      DATABASE_URL is unset.
#   d. security headers of a running instance at PREP_URL (`/`, `/locations`, `/docs`,
#      `/v1/me`): Content-Security-Policy, Strict-Transport-Security, framing refused
#      (`frame-ancestors 'none'` in the CSP or `X-Frame-Options: DENY`), Referrer-Policy,
#      Permissions-Policy. Skipped when PREP_URL is unset.
#   e. `npx prep audit verify` (the audit trail's tamper evidence) when DATABASE_URL is set;
#      skipped, saying so, while the CLI does not have the command.
#   f. the security suites: `npx vitest run --project workerd test/security.test.ts
#      test/route-properties.test.ts db/rls-catalog.test.ts`. They migrate and seed test
#      tenants into their database, so they never run on DATABASE_URL (which may be
#      production): on SECURITY_TEST_DATABASE_URL when set (a disposable database), else on
#      the embedded PGlite.
#
# Usage: [DATABASE_URL=postgres://…] [SECURITY_TEST_DATABASE_URL=postgres://…] [PREP_URL=https://…] bash security_weekly_check.sh [--strict]
#
# About (c): the known failures are db/rls-catalog.ts's KNOWN_RLS_FAILURES, the list
# db/rls-catalog.test.ts holds the catalog to; the script compares with it exactly, both ways.
set -euo pipefail
cd "$(dirname "$0")"
exec </dev/null

STRICT=0
for arg in "$@"; do
  case "$arg" in
    --strict) STRICT=1 ;;
    -h | --help)
      sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (usage: bash security_weekly_check.sh [--strict])" >&2
      exit 2
      ;;
  esac
done

FINDINGS=0
SUMMARY=()
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT

# result STATUS NAME MESSAGE — record a check's summary line; FAIL counts as a finding.
result() {
  local line
  line=$(printf '%-4s  %-22s %s' "$1" "$2" "$3")
  echo "$line"
  SUMMARY+=("$line")
  if [ "$1" = FAIL ]; then FINDINGS=$((FINDINGS + 1)); fi
}

section() { printf '\n== %s\n' "$1"; }

# --- a. dependencies -----------------------------------------------------------------------
section "a. dependency audit (npm audit --omit=dev --audit-level=high)"
audit_rc=0
npm audit --omit=dev --audit-level=high >"$LOG_DIR/audit.txt" 2>&1 || audit_rc=$?
tail -n 30 "$LOG_DIR/audit.txt"
if [ "$audit_rc" -eq 0 ]; then
  result PASS dependencies "no high or critical advisories in production dependencies"
elif grep -qiE 'audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|network request|request to .* failed|Method Not Allowed' "$LOG_DIR/audit.txt" &&
  ! grep -qiE '^# npm audit report|[0-9]+ (high|critical)' "$LOG_DIR/audit.txt"; then
  if [ "$STRICT" = 1 ]; then
    result FAIL dependencies "the registry's audit endpoint could not be reached (--strict: a finding)"
  else
    result WARN dependencies "the registry's audit endpoint could not be reached: not audited (a finding with --strict)"
  fi
else
  result FAIL dependencies "npm audit reports high or critical advisories (exit $audit_rc)"
fi

# --- b. secrets ----------------------------------------------------------------------------
section "b. secrets in the tracked tree (git ls-files)"
# Values known to be fake, matched exactly (a real secret in the same file is still found).
# Each one says where it lives and why it is obviously not a key.
ALLOWED_SECRETS=(
  # workers/services/api-key-verifier.test.ts: the alphabet in order, a fixture of the
  # verifier's parsing; no database ever held it.
  "prep_test_AbCdEfGh0123456789abcdefghijklmnopqrstuv"
)
SECRET_PATTERNS=(
  '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----'
  'prep_(live|test|admin)_[0-9A-Za-z]{40}'
  '(AKIA|ASIA)[0-9A-Z]{16}'
  '(sk|rk)_(live|test)_[0-9A-Za-z]{16,}'
  'gh[pousr]_[0-9A-Za-z]{36}'
  'github_pat_[0-9A-Za-z_]{60,}'
)
secret_hits=0
pattern=$(
  IFS='|'
  echo "${SECRET_PATTERNS[*]}"
)
# git grep searches exactly the tracked files (git ls-files), binary files skipped (-I).
if git grep -nIoE -e "$pattern" -- . >"$LOG_DIR/secrets-raw.txt" 2>/dev/null; then :; fi
while IFS= read -r hit; do
  [ -z "$hit" ] && continue
  value=${hit#*:}
  value=${value#*:}
  allowed=0
  for fake in "${ALLOWED_SECRETS[@]}"; do
    [ "$value" = "$fake" ] && allowed=1
  done
  if [ "$allowed" = 0 ]; then
    # Print where, and only the first characters of what.
    echo "  secret-shaped value: ${hit%%:*}:$(echo "$hit" | cut -d: -f2): ${value:0:12}…"
    secret_hits=$((secret_hits + 1))
  fi
done <"$LOG_DIR/secrets-raw.txt"
env_files=$(git ls-files | grep -E '(^|/)\.env(\..*)?$|(^|/)\.dev\.vars$' | grep -vE '\.(example|sample|template)$' || true)
if [ -n "$env_files" ]; then
  echo "$env_files" | sed 's/^/  committed env file: /'
fi
env_count=$(printf '%s' "$env_files" | grep -c . || true)
tracked=$(git ls-files | wc -l | tr -d ' ')
if [ "$secret_hits" -eq 0 ] && [ "$env_count" -eq 0 ]; then
  result PASS secrets "$tracked tracked files: no secret-shaped values (${#ALLOWED_SECRETS[@]} allow-listed fixture), no .env files"
else
  result FAIL secrets "$secret_hits secret-shaped value(s), $env_count committed env file(s)"
fi

# --- c. row-level security in the catalog --------------------------------------------------
section "c. row-level security catalog (db/rls-catalog.ts against DATABASE_URL)"
if [ -z "${DATABASE_URL:-}" ]; then
  result SKIP rls-catalog "DATABASE_URL is unset"
elif ! command -v psql >/dev/null 2>&1; then
  result FAIL rls-catalog "psql is not installed"
else
  catalog_ok=1
  npx tsx -e 'import("./db/rls-catalog.ts").then((m) => process.stdout.write(m.RLS_FAILURES_SQL))' \
    >"$LOG_DIR/rls.sql" 2>"$LOG_DIR/rls.err" || catalog_ok=0
  npx tsx -e 'import("./db/rls-catalog.ts").then((m) => {
      process.stdout.write(m.KNOWN_RLS_FAILURES.join("\n"));
    })' >"$LOG_DIR/rls-known.txt" 2>>"$LOG_DIR/rls.err" || catalog_ok=0
  if [ "$catalog_ok" = 1 ] && [ -s "$LOG_DIR/rls.sql" ] &&
    psql "$DATABASE_URL" -X -At -F ': ' -v ON_ERROR_STOP=1 -f "$LOG_DIR/rls.sql" \
      >"$LOG_DIR/rls.txt" 2>>"$LOG_DIR/rls.err"; then
    sort -o "$LOG_DIR/rls.txt" "$LOG_DIR/rls.txt"
    total=$(grep -c . "$LOG_DIR/rls.txt" || true)
    sort -o "$LOG_DIR/rls-known.txt" "$LOG_DIR/rls-known.txt"
    unexpected=$(comm -23 "$LOG_DIR/rls.txt" "$LOG_DIR/rls-known.txt")
    gone=$(comm -13 "$LOG_DIR/rls.txt" "$LOG_DIR/rls-known.txt")
    [ -n "$unexpected" ] && echo "$unexpected" | sed 's/^/  unexpected: /'
    [ -n "$gone" ] && echo "$gone" | sed 's/^/  known but no longer failing (update the list): /'
    if [ -z "$unexpected" ] && [ -z "$gone" ]; then
      result PASS rls-catalog "$total known failure(s), none unexpected"
    else
      result FAIL rls-catalog "$(printf '%s' "$unexpected" | grep -c . || true) unexpected, $(printf '%s' "$gone" | grep -c . || true) stale"
    fi
  else
    sed 's/^/  /' "$LOG_DIR/rls.err"
    result FAIL rls-catalog "could not run the catalog query against DATABASE_URL"
  fi
fi

# --- d. security headers of a running instance ---------------------------------------------
section "d. security headers (PREP_URL)"
if [ -z "${PREP_URL:-}" ]; then
  result SKIP headers "PREP_URL is unset"
else
  header_failures=0
  for path in / /locations /docs /v1/me; do
    url="${PREP_URL%/}$path"
    if ! curl -sS -o /dev/null -D "$LOG_DIR/headers.txt" --max-time 20 "$url" 2>"$LOG_DIR/curl.err"; then
      echo "  $path: unreachable ($(tr -d '\n' <"$LOG_DIR/curl.err"))"
      header_failures=$((header_failures + 1))
      continue
    fi
    h=$(tr -d '\r' <"$LOG_DIR/headers.txt" | tr '[:upper:]' '[:lower:]')
    missing=()
    grep -q '^content-security-policy: ' <<<"$h" || missing+=("Content-Security-Policy")
    grep -qE '^strict-transport-security: .*max-age=[1-9]' <<<"$h" || missing+=("Strict-Transport-Security")
    grep -qE "^content-security-policy: .*frame-ancestors 'none'" <<<"$h" ||
      grep -qE '^x-frame-options: deny' <<<"$h" || missing+=("frame-ancestors 'none' / X-Frame-Options")
    grep -q '^referrer-policy: ' <<<"$h" || missing+=("Referrer-Policy")
    grep -q '^permissions-policy: ' <<<"$h" || missing+=("Permissions-Policy")
    status=$(head -n1 <<<"$h" | awk '{print $2}')
    if [ ${#missing[@]} -eq 0 ]; then
      echo "  $path ($status): all present"
    else
      echo "  $path ($status): missing $(
        IFS=,
        echo "${missing[*]}"
      )"
      header_failures=$((header_failures + 1))
    fi
  done
  if [ "$header_failures" -eq 0 ]; then
    result PASS headers "4 paths of $PREP_URL carry every required header"
  else
    result FAIL headers "$header_failures of 4 paths of $PREP_URL fall short"
  fi
fi

# --- e. the audit trail --------------------------------------------------------------------
section "e. audit trail (npx prep audit verify)"
if [ -z "${DATABASE_URL:-}" ]; then
  result SKIP audit-verify "DATABASE_URL is unset"
else
  verify_rc=0
  npx prep audit verify >"$LOG_DIR/verify.txt" 2>&1 || verify_rc=$?
  if [ "$verify_rc" -ne 0 ] && grep -q 'unknown command' "$LOG_DIR/verify.txt"; then
    head -n 1 "$LOG_DIR/verify.txt" | sed 's/^/  /'
    result SKIP audit-verify "this CLI has no 'prep audit verify' yet"
  else
    tail -n 20 "$LOG_DIR/verify.txt" | sed 's/^/  /'
    if [ "$verify_rc" -eq 0 ]; then
      result PASS audit-verify "the audit trail verifies"
    else
      result FAIL audit-verify "prep audit verify failed (exit $verify_rc)"
    fi
  fi
fi

# --- f. the security suites ----------------------------------------------------------------
section "f. security suites (vitest, project workerd)"
suite_rc=0
# Never DATABASE_URL itself: the suites migrate and seed test tenants into their database.
SUITE_DB="the embedded PGlite"
[ -n "${SECURITY_TEST_DATABASE_URL:-}" ] && SUITE_DB="SECURITY_TEST_DATABASE_URL"
NO_COLOR=1 env -u DATABASE_URL ${SECURITY_TEST_DATABASE_URL:+DATABASE_URL="$SECURITY_TEST_DATABASE_URL"} \
  npx vitest run --project workerd test/security.test.ts test/route-properties.test.ts db/rls-catalog.test.ts \
  >"$LOG_DIR/vitest.txt" 2>&1 || suite_rc=$?
grep -E '^ *(Test Files|Tests|FAIL|×)' "$LOG_DIR/vitest.txt" | sed 's/^ */  /' | head -n 40 || true
tests_line=$(grep -E '^ *Tests ' "$LOG_DIR/vitest.txt" | tail -n 1 | sed 's/^ *Tests *//' || true)
if [ "$suite_rc" -eq 0 ]; then
  result PASS security-suites "${tests_line:-passed} (on $SUITE_DB)"
else
  tail -n 40 "$LOG_DIR/vitest.txt" | sed 's/^/  /'
  result FAIL security-suites "vitest exited $suite_rc${tests_line:+: $tests_line}"
fi

# --- summary -------------------------------------------------------------------------------
printf '\n== summary\n'
printf '%s\n' "${SUMMARY[@]}"
if [ "$FINDINGS" -gt 0 ]; then
  echo "security weekly check: $FINDINGS finding(s)"
  exit 1
fi
echo "security weekly check: no findings"
