CREATE TABLE tags (id smallserial PRIMARY KEY, name text NOT NULL);
