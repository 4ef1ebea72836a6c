-- One row each time a background job runs for a period (an hour of
-- housekeeping, a day's backup): the primary key lets only one server of
-- several on one database claim each period.
CREATE TABLE job_run (
    job TEXT NOT NULL,
    period BIGINT NOT NULL,
    instance TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT,
    PRIMARY KEY (job, period)
);
