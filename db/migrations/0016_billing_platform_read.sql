-- Platform analytics and the nightly reconciliation read every tenant's billing columns (never
-- names or anything else): this function is their one door through row-level security.
CREATE FUNCTION prep_billing_accounts()
RETURNS TABLE (
  tenant_id text, plan text, billing_status text, states text[], trial_ends_at timestamptz,
  past_due_since timestamptz, period_start timestamptz, period_end timestamptz,
  stripe_customer_id text, stripe_subscription_id text
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id, plan, billing_status, states, trial_ends_at, past_due_since, period_start, period_end,
         stripe_customer_id, stripe_subscription_id
  FROM tenants ORDER BY id
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION prep_billing_accounts() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION prep_billing_accounts() TO prep_platform;
