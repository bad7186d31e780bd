-- Recovery (migration 4): every entry's client token, its sends, and a lease.
--   token          the token every send carries: the spec's client_token, or 128 random bits
--                  the database drew at admission (32 lowercase hex digits); kept outside
--                  the (account, region, client_token) rule, which stays the spec's
--   sends          how many times the request was sent; sent_at when last
--   lease_owner    the process acting on the entry, until lease_expires (its clock)
ALTER TABLE {ns}organization_entry ADD COLUMN token text;
ALTER TABLE {ns}organization_entry ADD COLUMN sends bigint NOT NULL DEFAULT 0;
ALTER TABLE {ns}organization_entry ADD COLUMN sent_at bigint;
ALTER TABLE {ns}organization_entry ADD COLUMN lease_owner text;
ALTER TABLE {ns}organization_entry ADD COLUMN lease_expires bigint;
-- Entries made before: a token drawn now (a request sent without one was sent with the
-- SDK's, which nobody kept; a resend with this one is a new request, which AWS refuses while
-- the alias is taken, and the lookup settles it), and one send for a recorded request.
UPDATE {ns}organization_entry
SET token = COALESCE(client_token, {RANDOM_TOKEN}),
    sends = CASE WHEN request IS NULL THEN 0 ELSE 1 END,
    sent_at = CASE WHEN request IS NULL THEN NULL ELSE updated_at END;
