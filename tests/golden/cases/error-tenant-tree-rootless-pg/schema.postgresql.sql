CREATE TABLE tenant (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE node (tenant_id int NOT NULL REFERENCES tenant, id int NOT NULL, parent_id int NOT NULL,
  PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, parent_id) REFERENCES node (tenant_id, id),
  CHECK (parent_id <> id));
