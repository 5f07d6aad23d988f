-- Schema version 1: a home (project) with its units, cohorts, skills, shift types, staff,
-- demand, nurse cover, absences and requests, and its rosters.
--
-- List-like parts of the model are real tables; `pos` keeps the order the user gave.
-- Fields without a column of their own (and any a later solver adds) are kept in `extra`,
-- a JSON object, so project JSON -> database -> project JSON stays exact as the model grows.
-- Ids are the model's own text ids, unique per project.

CREATE TABLE project (
    id             INTEGER PRIMARY KEY,
    format_version INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    start_date     TEXT    NOT NULL,          -- YYYY-MM-DD
    days           INTEGER NOT NULL CHECK (days > 0),
    rules          TEXT    NOT NULL,          -- JSON: model::Rules
    weights        TEXT    NOT NULL,          -- JSON: model::Weights
    extra          TEXT    NOT NULL DEFAULT '{}', -- JSON: every other top-level field
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE unit (
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    name       TEXT,
    beds       INTEGER,
    extra      TEXT,
    PRIMARY KEY (project_id, id)
) WITHOUT ROWID;

CREATE TABLE cohort (
    project_id INTEGER NOT NULL,
    unit_id    TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    name       TEXT,
    extra      TEXT,
    PRIMARY KEY (project_id, unit_id, pos),
    FOREIGN KEY (project_id, unit_id) REFERENCES unit(project_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE skill (
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    id         TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    name       TEXT,
    extra      TEXT,
    PRIMARY KEY (project_id, id)
) WITHOUT ROWID;

-- Substitution: `skill_id` may fill demand for `covers_id`.
CREATE TABLE skill_cover (
    project_id INTEGER NOT NULL,
    skill_id   TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    covers_id  TEXT    NOT NULL,
    PRIMARY KEY (project_id, skill_id, pos),
    FOREIGN KEY (project_id, skill_id)  REFERENCES skill(project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, covers_id) REFERENCES skill(project_id, id)
) WITHOUT ROWID;

CREATE TABLE shift_type (
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    code         TEXT    NOT NULL,
    pos          INTEGER NOT NULL,
    name         TEXT,
    start_time   TEXT,                        -- HH:MM
    end_time     TEXT,                        -- HH:MM, next day when not after start
    paid_minutes INTEGER,
    night        INTEGER,                     -- NULL: decided by the clock times
    extra        TEXT,
    PRIMARY KEY (project_id, code)
) WITHOUT ROWID;

CREATE TABLE staff (
    project_id       INTEGER NOT NULL,
    id               TEXT    NOT NULL,        -- employee number
    pos              INTEGER NOT NULL,
    name             TEXT,
    unit_id          TEXT    NOT NULL,
    stillingsprosent REAL,
    max_extra_shifts INTEGER,
    hourly_wage      REAL,
    rules            TEXT,                    -- JSON: model::StaffRules, NULL when none
    extra            TEXT,
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, unit_id) REFERENCES unit(project_id, id)
) WITHOUT ROWID;

-- Skills held, the position's skill first (pos 0).
CREATE TABLE staff_skill (
    project_id INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    skill_id   TEXT    NOT NULL,
    PRIMARY KEY (project_id, staff_id, pos),
    FOREIGN KEY (project_id, staff_id) REFERENCES staff(project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, skill_id) REFERENCES skill(project_id, id)
) WITHOUT ROWID;

-- Other units a person may work in.
CREATE TABLE staff_float_unit (
    project_id INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    pos        INTEGER NOT NULL,
    unit_id    TEXT    NOT NULL,
    PRIMARY KEY (project_id, staff_id, pos),
    FOREIGN KEY (project_id, staff_id) REFERENCES staff(project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, unit_id)  REFERENCES unit(project_id, id)
) WITHOUT ROWID;

CREATE TABLE demand (
    project_id   INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    pos          INTEGER NOT NULL,            -- later lines replace earlier ones: order matters
    unit_id      TEXT    NOT NULL,
    shift_code   TEXT    NOT NULL,
    skill_id     TEXT    NOT NULL,
    min_heads    INTEGER,
    wanted_heads INTEGER,
    weekdays     TEXT,                        -- JSON array, NULL = every day
    dates        TEXT,                        -- JSON array, NULL = every day
    under_weight REAL,
    over_weight  REAL,
    extra        TEXT,
    PRIMARY KEY (project_id, pos),
    FOREIGN KEY (project_id, unit_id)    REFERENCES unit(project_id, id),
    FOREIGN KEY (project_id, shift_code) REFERENCES shift_type(project_id, code),
    FOREIGN KEY (project_id, skill_id)   REFERENCES skill(project_id, id)
) WITHOUT ROWID;

CREATE TABLE nurse_cover (
    project_id         INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    pos                INTEGER NOT NULL,
    skills             TEXT,                  -- JSON array of skill ids
    scope              TEXT,                  -- 'unit' | 'home'
    min_per_shift      INTEGER,
    patients_per_nurse INTEGER,
    shifts             TEXT,                  -- JSON array, NULL = all
    units              TEXT,                  -- JSON array, NULL = all
    extra              TEXT,
    PRIMARY KEY (project_id, pos)
) WITHOUT ROWID;

CREATE TABLE absence (
    project_id INTEGER NOT NULL,
    pos        INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    kind       TEXT,                          -- ferie | sykdom | karantene | isolasjon | fri
    from_date  TEXT,
    to_date    TEXT,
    extra      TEXT,
    PRIMARY KEY (project_id, pos),
    FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, staff_id) REFERENCES staff(project_id, id)
) WITHOUT ROWID;

CREATE TABLE request (
    project_id INTEGER NOT NULL,
    pos        INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    date       TEXT,
    shift_code TEXT,                          -- NULL = the whole day
    kind       TEXT,                          -- on | off
    weight     INTEGER,
    extra      TEXT,
    PRIMARY KEY (project_id, pos),
    FOREIGN KEY (project_id) REFERENCES project(id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, staff_id)   REFERENCES staff(project_id, id),
    FOREIGN KEY (project_id, shift_code) REFERENCES shift_type(project_id, code)
) WITHOUT ROWID;

-- Roster versions. A roster is a document: its assignments name staff, shifts and units
-- by id without foreign keys, so editing the project (someone leaves) never rewrites or
-- deletes a roster that was saved before.
CREATE TABLE roster (
    id               INTEGER PRIMARY KEY,
    project_id       INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL,        -- 1, 2, ... per project
    in_use           INTEGER NOT NULL DEFAULT 0 CHECK (in_use IN (0, 1)), -- "i bruk"
    saved_by         TEXT    NOT NULL,
    saved_at         TEXT    NOT NULL,        -- RFC 3339, UTC
    reason           TEXT    NOT NULL,
    assignment_count INTEGER NOT NULL,        -- written with the rows: a check for torn writes
    UNIQUE (project_id, version)
);
-- At most one roster in use per project.
CREATE UNIQUE INDEX roster_one_in_use ON roster(project_id) WHERE in_use = 1;

CREATE TABLE assignment (
    roster_id  INTEGER NOT NULL REFERENCES roster(id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,
    staff_id   TEXT    NOT NULL,
    date       TEXT    NOT NULL,
    shift_code TEXT    NOT NULL,
    unit_id    TEXT    NOT NULL,
    PRIMARY KEY (roster_id, pos)
) WITHOUT ROWID;
