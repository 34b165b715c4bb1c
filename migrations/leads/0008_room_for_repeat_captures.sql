-- A returning visitor's capture rewrites the lead's row (last touch, count, time) without
-- changing an indexed column, so it can be a HOT update, which writes none of the table's seven
-- indexes, if the row's page has room for the new version. Pages filled to the brim (the
-- default) made every first repeat capture of a lead a full update. Applies to pages written
-- from now on; `VACUUM FULL leads.leads` rewrites the older ones at this fill factor.
ALTER TABLE leads SET (fillfactor = 85);
