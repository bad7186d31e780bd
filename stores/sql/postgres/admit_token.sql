-- PostgreSQL only (migration 5, after migration 2's first version): an admission in one
-- statement, so in one round trip and one commit. It does what the steps do on SQLite
-- (`steps::admit`), in the same order, and answers in rows:
--   ('token', id)                        an entry of the account and Region has the token;
--   ('new', id, token)                   admitted, with the client token every send carries
--                                        (the spec's, or 128 random bits drawn here);
--   ('held', NULL, key, holder's id, account, region, alias)   one per held key, and
--   ('full', NULL, ..., live, limit)     when the quota is full: refused, nothing written.
-- A key held when inserted but free when read raises 40001, and a concurrent admission with
-- the same token raises 23505 on organization_entry_token: the caller runs it again.
CREATE OR REPLACE FUNCTION {ns}organization_admit(
    p_account text, p_region text, p_alias text, p_alias_folded text, p_client_token text,
    p_spec text, p_mail_domains text, p_now bigint, p_default_limit bigint, p_keys text[]
) RETURNS TABLE (
    outcome text, id bigint, key text, holder_account text, holder_region text,
    holder_alias text, live bigint, organization_limit bigint
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_id bigint;
    v_token text := COALESCE(p_client_token, replace(gen_random_uuid()::text, '-', ''));
    v_counted bigint;
    v_key text;
    v_holder record;
    v_held_keys text[] := '{}';
    v_held_ids bigint[] := '{}';
    v_held_accounts text[] := '{}';
    v_held_regions text[] := '{}';
    v_held_aliases text[] := '{}';
BEGIN
    IF p_client_token IS NOT NULL THEN
        SELECT e.id INTO v_id FROM {ns}organization_entry e
        WHERE e.account = p_account AND e.region = p_region AND e.client_token = p_client_token;
        IF FOUND THEN
            RETURN QUERY SELECT 'token'::text, v_id, NULL::text, NULL::text, NULL::text,
                NULL::text, NULL::bigint, NULL::bigint;
            RETURN;
        END IF;
    END IF;
    BEGIN
        -- The counter row stays locked until the end: admissions of one account take turns
        -- from here, so the count cannot overshoot.
        INSERT INTO {ns}organization_account AS counted (account, live) VALUES (p_account, 1)
        ON CONFLICT (account) DO UPDATE SET live = counted.live + 1
        WHERE counted.live < COALESCE(counted.organization_limit, p_default_limit)
        RETURNING counted.live INTO v_counted;
        INSERT INTO {ns}organization_entry
            (account, region, alias, alias_folded, client_token, spec, request,
             organization_id, snapshot, mail_domains, live, admitted_at, updated_at, version,
             token, sends)
        VALUES (p_account, p_region, p_alias, p_alias_folded, p_client_token, p_spec, NULL,
                NULL, NULL, p_mail_domains, true, p_now, p_now, 1, v_token, 0)
        RETURNING id INTO v_id;
        -- The keys come sorted by their text: two admissions never wait for each other's
        -- keys in opposite orders.
        FOREACH v_key IN ARRAY p_keys LOOP
            INSERT INTO {ns}organization_key (key, entry) VALUES (v_key, v_id)
            ON CONFLICT (key) DO NOTHING;
            IF NOT FOUND THEN
                SELECT e.id, e.account, e.region, e.alias INTO v_holder
                FROM {ns}organization_key k JOIN {ns}organization_entry e ON e.id = k.entry
                WHERE k.key = v_key;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'key % changed hands during the admission', v_key
                        USING ERRCODE = '40001';
                END IF;
                v_held_keys := v_held_keys || v_key;
                v_held_ids := v_held_ids || v_holder.id;
                v_held_accounts := v_held_accounts || v_holder.account;
                v_held_regions := v_held_regions || v_holder.region;
                v_held_aliases := v_held_aliases || v_holder.alias;
            END IF;
        END LOOP;
        IF v_counted IS NULL OR cardinality(v_held_keys) > 0 THEN
            -- Undo everything this block wrote; the variables keep what it found.
            RAISE EXCEPTION 'refused' USING ERRCODE = 'WO001';
        END IF;
    EXCEPTION WHEN SQLSTATE 'WO001' THEN
        RETURN QUERY SELECT 'held'::text, h.id, h.key, h.account, h.region, h.alias,
            NULL::bigint, NULL::bigint
        FROM unnest(v_held_keys, v_held_ids, v_held_accounts, v_held_regions, v_held_aliases)
            AS h(key, id, account, region, alias);
        IF v_counted IS NULL THEN
            RETURN QUERY SELECT 'full'::text, NULL::bigint, NULL::text, NULL::text, NULL::text,
                NULL::text, a.live, a.organization_limit
            FROM {ns}organization_account a WHERE a.account = p_account;
        END IF;
        RETURN;
    END;
    RETURN QUERY SELECT 'new'::text, v_id, v_token, NULL::text, NULL::text, NULL::text,
        NULL::bigint, NULL::bigint;
END
$$;
