-- complete_lesson's statements on generic plans: with custom plans (PostgreSQL's default for
-- statements with parameters, kept whenever the generic estimate does not look cheaper) every
-- call planned its statements again. The same change made lead captures 20% faster (leads 0009);
-- every statement here is a lookup by key, which the generic plan answers with the same index
-- (and 0016 keeps table scans out).
ALTER FUNCTION complete_lesson(uuid, uuid, uuid, integer, integer, timestamptz, uuid, text, integer, text, uuid, text, jsonb)
    SET plan_cache_mode = force_generic_plan;
