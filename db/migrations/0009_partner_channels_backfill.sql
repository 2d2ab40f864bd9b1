-- Organisations approved before channels were kept take them from their application.
UPDATE partner_organisations o
SET channels = a.channels
FROM applications a
WHERE a.partner_org_id = o.id AND cardinality(o.channels) = 0;
