CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE customers (
    tenant_id integer NOT NULL REFERENCES tenants (id),
    id integer NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE products (
    tenant_id integer NOT NULL REFERENCES tenants (id),
    id integer NOT NULL,
    title text NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    tenant_id integer NOT NULL REFERENCES tenants (id),
    customer_id integer NOT NULL,
    product_id integer NOT NULL,
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
