CREATE FUNCTION is_slug(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$;
CREATE TABLE page (
    id serial PRIMARY KEY,
    slug text,
    rank integer NOT NULL,
    CONSTRAINT slug_shape CHECK (is_slug(slug)),
    CONSTRAINT rank_small CHECK (rank BETWEEN 1 AND 5)
);
