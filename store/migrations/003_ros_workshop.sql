-- Schema version 3: one ROS workshop per project as the solver's JSON document (hazards,
-- measures, scales, overrides), and its last assessment. The per-row tables of version 2
-- stay for hazards kept without a simulated workshop.

CREATE TABLE ros_workshop (
    project_id  INTEGER PRIMARY KEY REFERENCES project(id) ON DELETE CASCADE,
    definition  TEXT    NOT NULL,             -- JSON: solver::ros::Workshop
    updated_at  TEXT    NOT NULL,
    assessment  TEXT,                         -- JSON: solver::ros::Assessment, last run
    assessed_at TEXT
);
