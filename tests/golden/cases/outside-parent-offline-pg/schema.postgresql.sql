CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
CREATE TABLE auth.sessions (id bigint PRIMARY KEY);
CREATE TABLE public.profile (id serial PRIMARY KEY, user_id uuid NOT NULL UNIQUE REFERENCES auth.users (id),
  bio text);
CREATE TABLE public.post (id serial PRIMARY KEY, author_id uuid NOT NULL REFERENCES auth.users (id),
  session_id bigint REFERENCES auth.sessions (id), body text);
