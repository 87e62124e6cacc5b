CREATE TABLE accounts (
    id serial PRIMARY KEY,
    email varchar(80) NOT NULL,
    handle varchar(30) NOT NULL,
    deleted_at timestamp NULL
);
CREATE UNIQUE INDEX accounts_email_lower ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_handle_live ON accounts (handle) WHERE deleted_at IS NULL;
CREATE TABLE singleton (id integer PRIMARY KEY, note text NOT NULL);
CREATE UNIQUE INDEX singleton_one_row ON singleton ((true));
