CREATE TABLE products (
    id serial PRIMARY KEY,
    status varchar(10) NOT NULL CHECK (status IN ('draft', 'live', 'retired')),
    size text NOT NULL CHECK (size = ANY (ARRAY['S', 'M', 'L'])),
    price numeric(8, 2) NOT NULL CHECK (price > 0 AND price <= 500),
    stock integer NOT NULL CHECK (stock BETWEEN 0 AND 1000),
    rating smallint NOT NULL CHECK (rating >= 1 AND rating <= 5),
    sku varchar(20) NOT NULL CHECK (length(sku) >= 4)
);
