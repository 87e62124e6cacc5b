CREATE TABLE playlists (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE tracks (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE playlist_tracks (
    playlist_id INTEGER NOT NULL REFERENCES playlists (id),
    track_id INTEGER NOT NULL REFERENCES tracks (id),
    PRIMARY KEY (playlist_id, track_id)
);
