-- A usage record's price is kept by making the price book append-only, not by a foreign key.
--
-- The foreign key usage_records.price_id → model_prices checked every new record with a query of
-- its own that locked the price row (FOR KEY SHARE). Every record of a model shares one price
-- row, so concurrent ingests locked the same few rows: each lock by a second transaction made a
-- multixact, and the checks cost about a fifth of a 500-record batch (issue 7's benchmark:
-- 30–36 batches/s with the key, 40–47 without, on the 10,000,000-record database).
--
-- What the key guarded, that a record never names a missing price, holds because prices are
-- only ever added (a new version with a later effective date; the API has no edit and no
-- delete). The triggers below make that a rule of the table for every writer, the service's
-- own SQL included. Correction entries (rare) keep their foreign key.

ALTER TABLE usage_records DROP CONSTRAINT usage_records_price_id_fkey;

CREATE FUNCTION refuse_price_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the price book is append-only: add a price with a later effective_from instead'
        USING ERRCODE = 'LU422';
END
$$;

CREATE TRIGGER model_prices_append_only BEFORE UPDATE OR DELETE ON model_prices
    FOR EACH ROW EXECUTE FUNCTION refuse_price_change();
CREATE TRIGGER model_prices_no_truncate BEFORE TRUNCATE ON model_prices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_price_change();
