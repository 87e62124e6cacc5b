-- Hard checks of ../shared/bench/verify.sql translated to MariaDB/MySQL.
-- Usage: (echo "SET @scale = 0.1;"; cat bench/verify.mysql.sql) | mysql --table seedspec_bench
-- Exits non-zero with "VERIFY FAIL: ..." when a hard check fails; prints "VERIFY PASS" last.
-- Checks: counts +-10% of target*scale; zero FK violations by anti-join (so a load with
-- foreign_key_checks=0 is still caught); all 7 FKs and >= 5 CHECKs declared; all 4 statuses
-- and 3 plans present; accounts.owner_user_id non-null for >= 90% of accounts.
DROP TEMPORARY TABLE IF EXISTS _m;
CREATE TEMPORARY TABLE _m (
    ord    INT AUTO_INCREMENT PRIMARY KEY,
    metric VARCHAR(64),
    value  DECIMAL(20, 1),
    lo     DECIMAL(20, 1),
    hi     DECIMAL(20, 1)
);

INSERT INTO _m (metric, value, lo, hi)
SELECT CONCAT('rows.', t.tbl), t.n, ROUND(t.target * @scale * 0.9), ROUND(t.target * @scale * 1.1)
FROM (
          SELECT 'accounts' AS tbl, (SELECT COUNT(*) FROM accounts) AS n, 1000 AS target
UNION ALL SELECT 'users',       (SELECT COUNT(*) FROM users),       50000
UNION ALL SELECT 'categories',  (SELECT COUNT(*) FROM categories),  200
UNION ALL SELECT 'products',    (SELECT COUNT(*) FROM products),    20000
UNION ALL SELECT 'orders',      (SELECT COUNT(*) FROM orders),      200000
UNION ALL SELECT 'order_items', (SELECT COUNT(*) FROM order_items), 800000
) t;

INSERT INTO _m (metric, value, lo, hi) VALUES
 ('fk_violations.users.account_id',
   (SELECT COUNT(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = u.account_id)), 0, 0),
 ('fk_violations.accounts.owner_user_id',
   (SELECT COUNT(*) FROM accounts a WHERE a.owner_user_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_user_id)), 0, 0),
 ('fk_violations.categories.parent_id',
   (SELECT COUNT(*) FROM categories c WHERE c.parent_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM categories p WHERE p.id = c.parent_id)), 0, 0),
 ('fk_violations.products.category_id',
   (SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.id = p.category_id)), 0, 0),
 ('fk_violations.orders.user_id',
   (SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id)), 0, 0),
 ('fk_violations.order_items.order_id',
   (SELECT COUNT(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id)), 0, 0),
 ('fk_violations.order_items.product_id',
   (SELECT COUNT(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = i.product_id)), 0, 0),
 ('fk_constraints_declared',
   (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE()), 7, 7),
 ('check_constraints_declared',
   (SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE()), 5, NULL),
 ('distinct_order_statuses', (SELECT COUNT(DISTINCT status) FROM orders), 4, 4),
 ('distinct_account_plans',  (SELECT COUNT(DISTINCT plan) FROM accounts), 3, 3),
 ('accounts_owner_nonnull_pct',
   (SELECT ROUND(100.0 * COUNT(owner_user_id) / GREATEST(COUNT(*), 1), 1) FROM accounts), 90, NULL);

SELECT metric, value,
       CASE WHEN (lo IS NULL OR value >= lo) AND (hi IS NULL OR value <= hi) THEN 'ok' ELSE 'FAIL' END
         AS status,
       CONCAT(COALESCE(lo, ''), '..', COALESCE(hi, '')) AS expected
FROM _m ORDER BY ord;

DELIMITER //
BEGIN NOT ATOMIC
    DECLARE bad TEXT;
    SELECT GROUP_CONCAT(CONCAT(metric, '=', COALESCE(value, 'null')) ORDER BY ord SEPARATOR ', ')
      INTO bad
      FROM _m
     WHERE value IS NULL OR (lo IS NOT NULL AND value < lo) OR (hi IS NOT NULL AND value > hi);
    IF bad IS NOT NULL THEN
        SET bad = CONCAT('VERIFY FAIL: ', bad);
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = bad;
    END IF;
END//
DELIMITER ;
SELECT 'VERIFY PASS' AS result;
