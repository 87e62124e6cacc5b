CREATE TABLE people (
    id serial PRIMARY KEY,
    age integer NOT NULL CHECK (age >= 0 AND age <= 150),
    born date NOT NULL CHECK (born >= '2030-01-01'),
    nickname text NOT NULL CHECK (length(nickname) >= 30)
);
