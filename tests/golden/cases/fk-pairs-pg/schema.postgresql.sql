CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE follows (follower_id int NOT NULL REFERENCES users, followee_id int NOT NULL REFERENCES users,
  PRIMARY KEY (follower_id, followee_id), CHECK (follower_id <> followee_id));
CREATE TABLE friendships (id serial PRIMARY KEY, user_low int NOT NULL REFERENCES users,
  user_high int NOT NULL REFERENCES users, CHECK (user_low < user_high), UNIQUE (user_low, user_high));
CREATE TABLE mentorships (id serial PRIMARY KEY, mentor_id int NOT NULL REFERENCES users,
  mentee_id int NOT NULL REFERENCES users, CHECK (mentee_id >= mentor_id));
CREATE TABLE rankings (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users,
  above int NOT NULL, below int NOT NULL, CHECK (user_id < above), CHECK (below <= user_id));
CREATE TABLE duels (id serial PRIMARY KEY, first_id int NOT NULL UNIQUE REFERENCES users,
  second_id int NOT NULL REFERENCES users, CHECK (first_id < second_id));
