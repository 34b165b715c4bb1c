-- The search index in the service's memory (SearchIndex) answers only while its version equals
-- this one. Every statement that changes what search reads in courses or library items bumps it
-- in the writer's own transaction, so a search sees a change exactly when the change commits,
-- whoever made it (any replica, a migration, psql); a search that sees a newer version goes to
-- the database and has the index rebuilt.
CREATE TABLE search_version (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint NOT NULL
);
INSERT INTO search_version VALUES (true, 0);

CREATE FUNCTION bump_search_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE learning.search_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER courses_search_version
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF title, description, category, level, language, languages, price,
          discount_percent, status, published_at ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_version();

CREATE TRIGGER library_items_search_version
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF kind, title, summary, body, category, author, language, status, published_at
    ON library_items
    FOR EACH STATEMENT EXECUTE FUNCTION bump_search_version();
