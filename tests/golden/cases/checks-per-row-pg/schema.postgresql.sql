CREATE TABLE acct (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE job (
  id serial PRIMARY KEY,
  status varchar(10) NOT NULL CHECK (status IN ('new','running','done')),
  finished_at timestamp,
  kind varchar(2) NOT NULL,
  x integer, y integer,
  start_at timestamp NOT NULL, end_at timestamp,
  ended boolean NOT NULL, end_date date,
  acct_id integer REFERENCES acct(id),
  code varchar(20) UNIQUE,
  CONSTRAINT fin CHECK ((status = 'done' AND finished_at IS NOT NULL) OR (status <> 'done' AND finished_at IS NULL)),
  CONSTRAINT kab CHECK ((kind = 'a' AND x IS NOT NULL AND y IS NULL) OR (kind = 'b' AND x IS NULL AND y IS NOT NULL)),
  CONSTRAINT se CHECK (end_at IS NULL OR end_at > start_at),
  CONSTRAINT ed CHECK (ended OR end_date IS NULL),
  CONSTRAINT acct_rule CHECK ((kind = 'a' AND acct_id IS NOT NULL) OR (kind = 'b' AND acct_id IS NULL)),
  CONSTRAINT code_rule CHECK (NOT (kind = 'b' AND code IS NULL))
);
CREATE TABLE tagged (
  id serial PRIMARY KEY,
  slug varchar(30) NOT NULL CHECK (lower(slug) = slug AND btrim(slug) <> ''),
  label text CHECK (label <> 'none'),
  doc jsonb NOT NULL CHECK (jsonb_typeof(doc -> 'tags') = 'array'),
  tags text[] NOT NULL CHECK (array_length(tags, 1) BETWEEN 1 AND 4),
  n integer NOT NULL CHECK (n NOT IN (1, 2, 3))
);
