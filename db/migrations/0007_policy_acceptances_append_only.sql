-- Acceptance rows are evidence of what a partner agreed to: insert only.
CREATE OR REPLACE FUNCTION policy_acceptances_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'policy acceptances are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER policy_acceptances_append_only
  BEFORE UPDATE OR DELETE ON policy_acceptances
  FOR EACH ROW EXECUTE FUNCTION policy_acceptances_refuse_change();--> statement-breakpoint
-- Organisations made before this column existed started onboarding when they were created.
UPDATE partner_organisations SET onboarding_started_at = created_at;
