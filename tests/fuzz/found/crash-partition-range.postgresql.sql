-- found by the schema fuzzer (scripts/fuzz.py --seed 2, schema 8), shrunk to 2 features
-- dialect: postgresql
-- family: crash:partition:range
-- failed: crash: ValueError in special.py:_number: invalid literal for int() with base 10: 'm'
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t3 (
  id bigint NOT NULL,
  region text NOT NULL,
  PRIMARY KEY (id, region)
) PARTITION BY RANGE (region);
CREATE TABLE t3_p1 PARTITION OF t3 FOR VALUES FROM (MINVALUE) TO ('m');
CREATE TABLE t3_p2 PARTITION OF t3 FOR VALUES FROM ('m') TO (MAXVALUE);
