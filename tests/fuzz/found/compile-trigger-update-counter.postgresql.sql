-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 2), shrunk to 3 features
-- dialect: postgresql
-- family: compile:trigger:update-counter
-- failed: compile: t2.t1_ref4 needs rows in 't1', which is seeded with 0 rows
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t1 (
  id integer PRIMARY KEY
);
CREATE TABLE t2 (
  id smallint PRIMARY KEY,
  t1_ref4 bigint NOT NULL,
  FOREIGN KEY (t1_ref4) REFERENCES t1 (id)
);
ALTER TABLE t1 ADD COLUMN n_t2_4 integer NOT NULL DEFAULT 0;
CREATE FUNCTION t2_t1_ref4_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE t1 SET n_t2_4 = n_t2_4 + 1 WHERE id = NEW.t1_ref4; RETURN NULL; END $$;
CREATE TRIGGER t2_t1_ref4_trg AFTER INSERT ON t2 FOR EACH ROW EXECUTE FUNCTION t2_t1_ref4_fn();
