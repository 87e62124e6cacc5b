CREATE TABLE events (n INTEGER, label TEXT);
