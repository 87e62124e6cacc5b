CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE follows (follower_id int NOT NULL REFERENCES users, followee_id int NOT NULL REFERENCES users,
  PRIMARY KEY (follower_id, followee_id), CHECK (follower_id <> followee_id));
CREATE TABLE friendships (id serial PRIMARY KEY, user_low int NOT NULL REFERENCES users,
  user_high int NOT NULL REFERENCES users, CHECK (user_low < user_high), UNIQUE (user_low, user_high));
CREATE TABLE team (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE match (id serial PRIMARY KEY, home_id int NOT NULL REFERENCES team, away_id int NOT NULL REFERENCES team,
  CHECK (home_id <> away_id));
CREATE TABLE ranked_pair (id serial PRIMARY KEY, low_id int NOT NULL REFERENCES team, high_id int NOT NULL REFERENCES team,
  CHECK (low_id < high_id));
