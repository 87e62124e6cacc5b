-- The blog schema (specs/schemas/blog.postgresql.sql) in MySQL/MariaDB.
CREATE TABLE users (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    username       VARCHAR(40) NOT NULL UNIQUE,
    email          VARCHAR(255) NOT NULL UNIQUE,
    display_name   VARCHAR(120) NOT NULL,
    bio            TEXT NULL,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     DATETIME NOT NULL,
    pinned_post_id BIGINT NULL
) ENGINE=InnoDB;
CREATE TABLE posts (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    author_id     BIGINT NOT NULL,
    title         VARCHAR(200) NOT NULL,
    slug          VARCHAR(80) NOT NULL UNIQUE,
    status        VARCHAR(12) NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    featured      BOOLEAN NOT NULL,
    view_count    INT NOT NULL CHECK (view_count >= 0),
    comment_count INT NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    published_at  DATETIME NULL,
    CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB;
ALTER TABLE users ADD CONSTRAINT users_pinned_post_id_fkey
    FOREIGN KEY (pinned_post_id) REFERENCES posts (id);
CREATE TABLE comments (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    post_id    BIGINT NOT NULL,
    author_id  BIGINT NOT NULL,
    parent_id  BIGINT NULL,
    body       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id),
    CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id),
    CONSTRAINT comments_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES comments (id)
) ENGINE=InnoDB;
CREATE TABLE tags (
    id   INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(60) NOT NULL UNIQUE
) ENGINE=InnoDB;
CREATE TABLE post_tags (
    post_id BIGINT NOT NULL,
    tag_id  INT NOT NULL,
    PRIMARY KEY (post_id, tag_id),
    CONSTRAINT post_tags_post_id_fkey FOREIGN KEY (post_id) REFERENCES posts (id),
    CONSTRAINT post_tags_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES tags (id)
) ENGINE=InnoDB;
