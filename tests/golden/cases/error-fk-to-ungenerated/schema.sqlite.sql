CREATE TABLE currencies (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE DEFAULT 'EUR');
CREATE TABLE prices (id INTEGER PRIMARY KEY,
                     currency_code TEXT NOT NULL REFERENCES currencies (code),
                     amount INTEGER NOT NULL);
