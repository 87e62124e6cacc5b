CREATE TABLE uploads (
    id bigint NOT NULL,
    model_type text NOT NULL,
    path text NOT NULL,
    PRIMARY KEY (id, model_type)
) PARTITION BY LIST (model_type);
CREATE TABLE report_uploads PARTITION OF uploads FOR VALUES IN ('Report');
CREATE TABLE image_uploads PARTITION OF uploads FOR VALUES IN ('Image', 'Avatar');
CREATE TABLE other_uploads PARTITION OF uploads DEFAULT;
CREATE UNIQUE INDEX report_uploads_id ON report_uploads (id);
CREATE TABLE report_upload_states (
    id bigserial PRIMARY KEY,
    report_upload_id bigint NOT NULL REFERENCES report_uploads (id),
    state smallint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX report_upload_states_upload ON report_upload_states (report_upload_id);
