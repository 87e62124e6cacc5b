CREATE TABLE attribute_type (
    id serial PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE instrument (
    id serial PRIMARY KEY,
    name text NOT NULL
);
CREATE FUNCTION instrument_attr() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attribute_type (name) VALUES (NEW.name);
    RETURN NEW;
END $$;
CREATE TRIGGER a_ins_instrument AFTER INSERT ON instrument FOR EACH ROW EXECUTE FUNCTION instrument_attr();
CREATE TABLE attribute_link (
    id serial PRIMARY KEY,
    attribute_type_id integer NOT NULL REFERENCES attribute_type (id),
    note text
);
