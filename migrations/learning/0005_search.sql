-- Full-text search that works for English, Persian and Russian alike: each text is indexed three
-- ways (as written, with English stems, with Russian stems) after folding the Arabic and Persian
-- spellings of the same letters together; a query matches when any of the three readings does.

CREATE FUNCTION search_folded(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN translate(lower($1), 'يىكۀةأإآ' || chr(8204) || chr(1600), 'ییکههااا ');  -- ZWNJ to a space, tatweel dropped

CREATE FUNCTION search_vector(title text, body text, extra text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('simple', search_folded(title)), 'A')
    || setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('russian', title), 'A')
    || setweight(to_tsvector('simple', search_folded(body)), 'B')
    || setweight(to_tsvector('english', body), 'B')
    || setweight(to_tsvector('russian', body), 'B')
    || setweight(to_tsvector('simple', search_folded(extra)), 'C');

CREATE FUNCTION search_query(text) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN websearch_to_tsquery('simple', search_folded($1))
    || websearch_to_tsquery('english', $1)
    || websearch_to_tsquery('russian', $1);

ALTER TABLE courses ADD COLUMN search tsvector
    GENERATED ALWAYS AS (search_vector(title, description, coalesce(category, ''))) STORED;
CREATE INDEX courses_search ON courses USING gin (search) WHERE status = 'published';
