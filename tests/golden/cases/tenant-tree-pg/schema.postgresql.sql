CREATE TABLE tenant (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE node (tenant_id int NOT NULL REFERENCES tenant, id int NOT NULL, parent_id int, name text,
  PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, parent_id) REFERENCES node (tenant_id, id));
CREATE TABLE folder (tenant_id int NOT NULL REFERENCES tenant, id int NOT NULL, parent_id int NOT NULL,
  PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, parent_id) REFERENCES folder (tenant_id, id));
CREATE TABLE project (tenant_id int NOT NULL REFERENCES tenant, id int NOT NULL, name text,
  PRIMARY KEY (tenant_id, id));
CREATE TABLE task (id serial PRIMARY KEY, tenant_id int NOT NULL REFERENCES tenant,
  project_id int NOT NULL, title text, FOREIGN KEY (tenant_id, project_id) REFERENCES project (tenant_id, id));
