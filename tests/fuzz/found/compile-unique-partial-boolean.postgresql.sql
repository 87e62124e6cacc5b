-- found by the schema fuzzer (scripts/fuzz.py --seed 0, schema 2), shrunk to 2 features
-- dialect: postgresql
-- family: compile:unique:partial-boolean
-- failed: compile: t3.flag4 must be unique (flag4) but a 'bool' generator cannot guarantee distinct values
-- xfail: compile: t3.flag4 must be unique (flag4) but a 'bool' generator cannot guarantee distinct values
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t3 (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flag4 boolean NOT NULL
);
CREATE UNIQUE INDEX t3_flag4_pu ON t3 (flag4) WHERE flag4;
