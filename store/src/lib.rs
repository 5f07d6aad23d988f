//! Bemanna's database: everything a user makes lives in one SQLite file.
//!
//! [`Store`] opens (or creates) the file with WAL journaling, foreign keys, a busy timeout
//! and full fsync on commit; it migrates an older file after taking a backup copy and refuses
//! one written by a newer Bemanna. A fresh file is seeded with the demo home. Repository
//! functions take and return the solver's model types; no SQL lives outside this crate.
//!
//! ```
//! use bemanna_store::{Store, RosterMeta};
//! use bemanna_solver::roster::Roster;
//!
//! let mut store = Store::open_in_memory(bemanna_store::Seed::DemoHome).unwrap();
//! let id = store.projects().unwrap()[0].id;
//! let project = store.load_project(id).unwrap();
//! assert_eq!(project.staff.len(), 65);
//! let saved = store
//!     .save_roster(id, &Roster::default(), &RosterMeta::new("Kari", "tom turnus"))
//!     .unwrap();
//! assert_eq!(saved.version, 1);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
pub mod export;
pub mod import;
mod migrate;
mod project;
mod ros;
mod roster;
pub mod sample;
mod study;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use error::Error;
pub use migrate::SCHEMA_VERSION;
pub use project::ProjectSummary;
pub use ros::StoredWorkshop;
pub use roster::{RosterInfo, RosterMeta};
pub use study::{Hazard, Measure, NewStudyRun, ScenarioInfo, StudyRun};

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Id of a project (a home) in the database.
pub type ProjectId = i64;
/// Id of one saved roster version.
pub type RosterId = i64;

/// The demo home that a fresh database starts with.
pub const DEMO_HOME_JSON: &str = include_str!("../../fixtures/demo-home.json");

/// What a freshly created database is filled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// The demo nursing home from `fixtures/`, so the app opens on something real.
    DemoHome,
    /// Nothing (tests, imports into an empty file).
    Empty,
}

/// What opening a database did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Opened {
    /// Schema version found (0 for a new file).
    pub from_version: u32,
    /// Backup copy taken before migrating an older file.
    pub backup: Option<PathBuf>,
    /// Project seeded into a new file.
    pub seeded: Option<ProjectId>,
}

/// An open Bemanna database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    opened: Opened,
}

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Opens the database at `path`, creating and seeding it with the demo home when the
    /// file does not exist yet.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Seed::DemoHome)
    }

    /// Opens an existing database; a missing file is an error instead of a new database.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NoDatabase(path.to_path_buf()));
        }
        Store::open_with(path, Seed::Empty)
    }

    /// Opens the database at `path`; a new file is filled as `seed` says.
    pub fn open_with(path: &Path, seed: Seed) -> Result<Store> {
        let conn = Connection::open(path).map_err(|e| Error::open(path, e))?;
        Store::setup(conn, Some(path.to_path_buf()), seed)
    }

    /// A private in-memory database (tests, examples).
    pub fn open_in_memory(seed: Seed) -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, None, seed)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>, seed: Seed) -> Result<Store> {
        let name = path
            .as_deref()
            .map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
        let wrap = |e: rusqlite::Error| Error::open(Path::new(&name), e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(wrap)?;
        // WAL: readers never block the writer, and a killed writer leaves only an
        // uncommitted tail in the log that the next open discards.
        if path.is_some() {
            let mode = wal(&conn).map_err(wrap)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Corrupt(format!(
                    "{name}: could not switch to WAL journaling (got `{mode}`)"
                )));
            }
        }
        // FULL: a commit is on disk before save returns, even across a power cut; NORMAL
        // would only survive a process crash. A leader's evening of work is worth the fsync.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(wrap)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(wrap)?;
        let mut opened = migrate::migrate(&mut conn, path.as_deref(), migrate::MIGRATIONS)?;
        let mut store = Store {
            conn,
            path,
            opened: Opened::default(),
        };
        if opened.from_version == 0 && seed == Seed::DemoHome {
            opened.seeded = store.seed_demo()?;
        }
        store.opened = opened;
        Ok(store)
    }

    /// Inserts the demo home unless the file already has a project: two processes creating
    /// the same file both start from version 0, and only the first seeds it.
    fn seed_demo(&mut self) -> Result<Option<ProjectId>> {
        let demo = bemanna_solver::formats::project_from_json(DEMO_HOME_JSON, "demo-home.json")
            .map_err(|e| Error::Corrupt(format!("embedded demo home: {e}")))?;
        project::validate(&demo)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let empty: bool = tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM project)", [], |r| {
            r.get(0)
        })?;
        if !empty {
            return Ok(None);
        }
        let id = project::insert(&tx, &demo)?;
        tx.commit()?;
        Ok(Some(id))
    }

    /// What opening did: version found, backup taken, project seeded.
    pub fn opened(&self) -> &Opened {
        &self.opened
    }

    /// The database file (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Result of `PRAGMA integrity_check`: `ok` or the problems found.
    pub fn integrity_check(&self) -> Result<String> {
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.join("; "))
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(migrate::user_version(&self.conn)?)
    }
}

/// Switches to WAL. Switching takes an exclusive lock and SQLite answers "busy" at once,
/// without its busy handler, when another connection is opening the same new file; so wait
/// and retry here, up to the busy timeout.
fn wal(conn: &Connection) -> rusqlite::Result<String> {
    let until = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < until =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Current time as stored: RFC 3339 in UTC, to the millisecond.
pub(crate) fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
