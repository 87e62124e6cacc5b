-- The benchmark e-commerce schema (specs/schemas/shop.postgresql.sql) in MySQL/MariaDB.
CREATE TABLE accounts (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    plan          VARCHAR(20) NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
    owner_user_id BIGINT NULL,
    created_at    DATETIME NOT NULL
) ENGINE=InnoDB;
CREATE TABLE users (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    account_id  BIGINT NOT NULL,
    email       VARCHAR(255) NOT NULL UNIQUE,
    full_name   VARCHAR(200) NOT NULL,
    created_at  DATETIME NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT users_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB;
ALTER TABLE accounts ADD CONSTRAINT accounts_owner_user_id_fkey
    FOREIGN KEY (owner_user_id) REFERENCES users (id);
CREATE TABLE categories (
    id        INT AUTO_INCREMENT PRIMARY KEY,
    parent_id INT NULL,
    name      VARCHAR(200) NOT NULL,
    UNIQUE (parent_id, name),
    CONSTRAINT categories_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES categories (id)
) ENGINE=InnoDB;
CREATE TABLE products (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    category_id INT NOT NULL,
    sku         VARCHAR(64) NOT NULL UNIQUE,
    title       VARCHAR(255) NOT NULL,
    price_cents INT NOT NULL CHECK (price_cents > 0),
    attributes  JSON NOT NULL,
    CONSTRAINT products_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id)
) ENGINE=InnoDB;
CREATE TABLE orders (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    status      VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'paid', 'refunded', 'failed')),
    placed_at   DATETIME NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents >= 0),
    CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB;
CREATE TABLE order_items (
    order_id         BIGINT NOT NULL,
    line_no          INT NOT NULL,
    product_id       BIGINT NOT NULL,
    quantity         INT NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    unit_price_cents INT NOT NULL,
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB;
