-- Leaving plans (migration 6): one per organization and account, for `workmail-org leave`.
--   document       the plan and its progress (the library's `Leaving`), as JSON, re-validated
--                  when read
--   version        1 when first written, one more each write: the compare-and-set
--   lease_owner    the process running the plan, until lease_expires (its clock); every take
--                  raises the version, so a holder whose lease was taken over cannot write
CREATE TABLE IF NOT EXISTS {ns}organization_leaving (
    account text NOT NULL,
    organization_id text NOT NULL,
    document text NOT NULL,
    version bigint NOT NULL,
    lease_owner text,
    lease_expires bigint,
    updated_at bigint NOT NULL,
    PRIMARY KEY (account, organization_id)
);
