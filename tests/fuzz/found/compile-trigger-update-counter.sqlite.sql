-- found by the schema fuzzer (scripts/fuzz.py --seed 1, schema 5), shrunk to 3 features
-- dialect: sqlite
-- family: compile:trigger:update-counter
-- failed: compile: t1.t0_ref1 needs rows in 't0', which is seeded with 0 rows
-- expected: `seedspec apply --db URL` (no spec) exits 0 and the audit finds every
--   table filled and no constraint broken.
CREATE TABLE t0 (
  id INTEGER PRIMARY KEY
);
CREATE TABLE t1 (
  id INTEGER PRIMARY KEY,
  t0_ref1 bigint NOT NULL,
  FOREIGN KEY (t0_ref1) REFERENCES t0 (id)
);
ALTER TABLE t0 ADD COLUMN n_t1_1 integer NOT NULL DEFAULT 0;
CREATE TRIGGER t1_t0_ref1_trg AFTER INSERT ON t1 FOR EACH ROW BEGIN UPDATE t0 SET n_t1_1 = n_t1_1 + 1 WHERE id = NEW.t0_ref1; END;
