-- Schema version 2: scenario definitions, study runs with their results, and the ROS
-- (risiko- og sårbarhetsanalyse) hazards and measures. Definitions and results are JSON
-- documents whose shape the solver owns; the columns are what lists and filters need.

CREATE TABLE scenario (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    definition TEXT    NOT NULL,              -- JSON: wave, policy, reserves, ...
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE study_run (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    scenario_id INTEGER REFERENCES scenario(id) ON DELETE SET NULL,
    roster_id   INTEGER REFERENCES roster(id) ON DELETE SET NULL,
    label       TEXT    NOT NULL,
    seed        INTEGER NOT NULL,
    runs        INTEGER NOT NULL,             -- number of simulated scenarios
    shard       TEXT,                         -- "i/n" when this is one shard of a study
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    aggregates  TEXT    NOT NULL              -- JSON: percentiles per day, event probabilities
);

-- Per-scenario metrics, kept only when asked for.
CREATE TABLE study_metric (
    run_id         INTEGER NOT NULL REFERENCES study_run(id) ON DELETE CASCADE,
    scenario_index INTEGER NOT NULL,
    metrics        TEXT    NOT NULL,          -- JSON
    PRIMARY KEY (run_id, scenario_index)
) WITHOUT ROWID;

CREATE TABLE ros_hazard (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    category    TEXT,
    likelihood  INTEGER CHECK (likelihood BETWEEN 1 AND 5),   -- 5 x 5 matrix (DSB)
    consequence INTEGER CHECK (consequence BETWEEN 1 AND 5),
    study_run_id INTEGER REFERENCES study_run(id) ON DELETE SET NULL, -- evidence, if any
    data        TEXT    NOT NULL DEFAULT '{}' -- JSON: whatever the ROS module adds
);

CREATE TABLE ros_measure (
    id                INTEGER PRIMARY KEY,
    hazard_id         INTEGER NOT NULL REFERENCES ros_hazard(id) ON DELETE CASCADE,
    pos               INTEGER NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    likelihood_after  INTEGER CHECK (likelihood_after BETWEEN 1 AND 5),
    consequence_after INTEGER CHECK (consequence_after BETWEEN 1 AND 5),
    data              TEXT    NOT NULL DEFAULT '{}'
);
