-- Funnel roll-ups, kept with the journey so a funnel reads at most a few thousand rows however
-- many leads the window holds (it read every journey row of the window, per lead, before).
--
-- A lead reaches a stage at its first journey entry of that stage (`funnel_firsts`). It counts
-- for the stage on the day (in the platform's timezone) it first reached it, and it converts
-- from stage a to stage b when it first reached b at or after it first reached a; the conversion
-- counts on a's day (a cohort: of the leads that reached a in the window, those that went on to
-- b, whenever). `funnel_counts` holds those counts per day and per month, per lead source and for
-- all sources (''), and for conversions per duration rounded to two significant digits (whole
-- seconds under 100 s), the histogram the median is read from.
--
-- Kept by the trigger on journey inserts (a lead's entries arrive one at a time: the writer
-- locks the lead) and by `funnel_merge`; `funnel_rebuild` recomputes all of it, and runs when
-- the platform's timezone changes (`funnel_use_time_zone`, called by the service at start).

CREATE TABLE funnel_settings (
    only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    -- The IANA zone the days and months of funnel_counts are in.
    time_zone text NOT NULL
);
INSERT INTO funnel_settings (time_zone) VALUES ('UTC');

CREATE TABLE funnel_firsts (
    lead_id  uuid NOT NULL REFERENCES leads (id),
    stage    text NOT NULL,
    first_at timestamptz NOT NULL,
    PRIMARY KEY (lead_id, stage)
);

CREATE TABLE funnel_counts (
    stage      text NOT NULL,
    -- '' counts the leads that reached `stage`; otherwise those that went on to next_stage.
    next_stage text NOT NULL,
    -- The leads' own source (acquisition channel); '' for all sources.
    source     text NOT NULL,
    grain      text NOT NULL CHECK (grain IN ('day', 'month')),
    starts_on  date NOT NULL,
    -- For a conversion, seconds from stage to next_stage (rounded, see funnel_seconds); else 0.
    seconds    bigint NOT NULL,
    leads      integer NOT NULL,
    -- `leads` rides in the key's index so a funnel reads it from the index alone (finished days
    -- and months are all-visible once vacuumed): twice the funnels per second of heap fetches.
    PRIMARY KEY (stage, next_stage, source, grain, starts_on, seconds) INCLUDE (leads)
);

-- Seconds to two significant digits, whole seconds under 100: the histogram's buckets (at most
-- 5% off, and exact for the round figures people type and test with).
CREATE FUNCTION funnel_seconds(p_between interval) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN s < 99.5 THEN round(s)::bigint
                ELSE (round(s / 10 ^ (length(round(s)::bigint::text) - 2)) * 10 ^ (length(round(s)::bigint::text) - 2))::bigint END
    FROM (SELECT extract(epoch FROM p_between) AS s) x
$$;

-- The roll-up rows of one lead from its first times, with p_stage's first time taken as p_at
-- when given: each stage it reached, on that day, and each pair it reached in that order.
CREATE FUNCTION funnel_lead_rows(p_lead uuid, p_zone text, p_stage text DEFAULT NULL, p_at timestamptz DEFAULT NULL)
RETURNS TABLE (stage text, next_stage text, day date, seconds bigint)
LANGUAGE sql STABLE AS $$
    WITH firsts AS (
        SELECT f.stage, f.first_at FROM leads.funnel_firsts f WHERE f.lead_id = p_lead AND f.stage IS DISTINCT FROM p_stage
        UNION ALL
        SELECT p_stage, p_at WHERE p_stage IS NOT NULL
    )
    SELECT a.stage, '', (a.first_at AT TIME ZONE p_zone)::date, 0::bigint FROM firsts a
    UNION ALL
    SELECT a.stage, b.stage, (a.first_at AT TIME ZONE p_zone)::date, leads.funnel_seconds(b.first_at - a.first_at)
    FROM firsts a JOIN firsts b ON b.stage <> a.stage AND b.first_at >= a.first_at
$$;

-- Adds p_before × the lead's rows as its first times are now and p_after × its rows with
-- p_stage first reached at p_at, netted, under its source and all sources, by day and month.
-- Rows go in key order, so concurrent writers lock shared rows in the same order.
CREATE FUNCTION funnel_shift(p_lead uuid, p_source text, p_zone text, p_before integer, p_after integer,
                             p_stage text DEFAULT NULL, p_at timestamptz DEFAULT NULL) RETURNS void
-- PL/pgSQL, not SQL: a SQL function called from PL/pgSQL is parsed and planned on every call;
-- here the plan is kept per session.
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO leads.funnel_counts AS f (stage, next_stage, source, grain, starts_on, seconds, leads)
    SELECT c.stage, c.next_stage, s.source, g.grain,
           CASE g.grain WHEN 'day' THEN c.day ELSE date_trunc('month', c.day)::date END, c.seconds, sum(c.n)
    FROM (SELECT r.*, p_before AS n FROM leads.funnel_lead_rows(p_lead, p_zone) r WHERE p_before <> 0
          UNION ALL
          SELECT r.*, p_after FROM leads.funnel_lead_rows(p_lead, p_zone, p_stage, p_at) r WHERE p_after <> 0) c
    CROSS JOIN (VALUES (p_source), ('')) s (source)
    CROSS JOIN (VALUES ('day'), ('month')) g (grain)
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(c.n) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (stage, next_stage, source, grain, starts_on, seconds) DO UPDATE SET leads = f.leads + excluded.leads;
END
$$;

-- A journey entry that is its lead's first of the stage, or earlier than the first (a late
-- report), moves the lead's rows.
CREATE FUNCTION funnel_journey_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_first timestamptz;
BEGIN
    SELECT first_at INTO v_first FROM leads.funnel_firsts WHERE lead_id = NEW.lead_id AND stage = NEW.stage;
    IF FOUND AND v_first <= NEW.occurred_at THEN
        RETURN NULL;
    END IF;
    PERFORM leads.funnel_shift(NEW.lead_id, NEW.lead_source, (SELECT time_zone FROM leads.funnel_settings), -1, 1, NEW.stage, NEW.occurred_at);
    INSERT INTO leads.funnel_firsts (lead_id, stage, first_at) VALUES (NEW.lead_id, NEW.stage, NEW.occurred_at)
    ON CONFLICT (lead_id, stage) DO UPDATE SET first_at = excluded.first_at;
    RETURN NULL;
END
$$;
CREATE TRIGGER funnel_journey_inserted AFTER INSERT ON lead_journey FOR EACH ROW EXECUTE FUNCTION funnel_journey_added();

-- After a merge moved p_merged's journey to p_survivor: both leads' rows out, the survivor's
-- first times again from its whole journey, its rows back in.
CREATE FUNCTION funnel_merge(p_survivor uuid, p_merged uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_zone text := (SELECT time_zone FROM leads.funnel_settings);
BEGIN
    PERFORM leads.funnel_shift(p_merged, (SELECT source FROM leads.leads WHERE id = p_merged), v_zone, -1, 0);
    PERFORM leads.funnel_shift(p_survivor, (SELECT source FROM leads.leads WHERE id = p_survivor), v_zone, -1, 0);
    DELETE FROM leads.funnel_firsts WHERE lead_id IN (p_survivor, p_merged);
    INSERT INTO leads.funnel_firsts (lead_id, stage, first_at)
    SELECT p_survivor, stage, min(occurred_at) FROM leads.lead_journey WHERE lead_id = p_survivor GROUP BY stage;
    PERFORM leads.funnel_shift(p_survivor, (SELECT source FROM leads.leads WHERE id = p_survivor), v_zone, 0, 1);
END
$$;

-- Everything again from the journey, in p_zone. Takes the tables' locks: funnels and journey
-- entries wait for it.
CREATE FUNCTION funnel_rebuild(p_zone text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE leads.funnel_settings SET time_zone = p_zone;
    TRUNCATE leads.funnel_firsts, leads.funnel_counts;
    INSERT INTO leads.funnel_firsts (lead_id, stage, first_at)
    SELECT lead_id, stage, min(occurred_at) FROM leads.lead_journey GROUP BY lead_id, stage;
    INSERT INTO leads.funnel_counts (stage, next_stage, source, grain, starts_on, seconds, leads)
    WITH firsts AS (
        SELECT f.lead_id, f.stage, f.first_at, l.source, (f.first_at AT TIME ZONE p_zone)::date AS day
        FROM leads.funnel_firsts f JOIN leads.leads l ON l.id = f.lead_id
    ), days AS (
        SELECT stage, next_stage, source, day, seconds, count(*) AS n
        FROM (SELECT stage, '' AS next_stage, source, day, 0::bigint AS seconds FROM firsts
              UNION ALL
              SELECT a.stage, b.stage, a.source, a.day, leads.funnel_seconds(b.first_at - a.first_at)
              FROM firsts a JOIN firsts b ON b.lead_id = a.lead_id AND b.stage <> a.stage AND b.first_at >= a.first_at) c
        GROUP BY 1, 2, 3, 4, 5
    ), sources AS (
        SELECT stage, next_stage, s.source, day, seconds, sum(n) AS n
        FROM days CROSS JOIN LATERAL (VALUES (days.source), ('')) s (source)
        GROUP BY 1, 2, 3, 4, 5
    )
    SELECT stage, next_stage, source, 'day', day, seconds, n FROM sources
    UNION ALL
    SELECT stage, next_stage, source, 'month', date_trunc('month', day)::date, seconds, sum(n)
    FROM sources GROUP BY 1, 2, 3, 5, 6;
END
$$;

-- The service calls this at start with the platform's timezone: a change rebuilds the roll-ups.
CREATE FUNCTION funnel_use_time_zone(p_zone text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_zone text;
BEGIN
    SELECT time_zone INTO v_zone FROM leads.funnel_settings FOR UPDATE;
    IF v_zone = p_zone THEN
        RETURN false;
    END IF;
    PERFORM leads.funnel_rebuild(p_zone);
    RETURN true;
END
$$;

SELECT funnel_rebuild('UTC');

-- The funnel reads these instead of the journey.
DROP INDEX lead_journey_funnel;
