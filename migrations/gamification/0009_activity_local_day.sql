-- The learner's local day of each received event, as counted for their streak when it arrived
-- (their zone then). The rebuild checks `streak_days` against it: recomputing the day from the
-- zone set now would disagree for every learner who changed zones since. Events received before
-- this column keep NULL and are left out of that check.
ALTER TABLE activity_log ADD COLUMN local_day date;
