-- A published policy version is evidence: partners accepted exactly this text.
-- Refuse any change to it, and its deletion, at the database.
CREATE OR REPLACE FUNCTION policy_versions_refuse_published_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'policy version % is published and cannot change', OLD.id;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER policy_versions_published_immutable
  BEFORE UPDATE OR DELETE ON policy_versions
  FOR EACH ROW EXECUTE FUNCTION policy_versions_refuse_published_change();--> statement-breakpoint
-- The four kinds every program starts with; admins add more.
INSERT INTO policies (key, title, description, required) VALUES
  ('program_terms', 'Program terms', 'The agreement between the brand and its partners: commissions, obligations and termination.', true),
  ('brand_guidelines', 'Brand guidelines', 'How partners may use the brand''s name, logos and product claims.', true),
  ('disclosure_rules', 'Disclosure rules', 'How partners disclose the partnership in everything they publish.', true),
  ('data_handling', 'Data handling', 'How partners handle personal data of the people they reach.', true)
ON CONFLICT (key) DO NOTHING;
