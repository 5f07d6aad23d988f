//! One error type for the store: what went wrong, in words a user can act on.

use std::path::{Path, PathBuf};

use bemanna_solver::model::FieldError;

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file was written by a newer Bemanna; it is left untouched.
    #[error("{path} was written by a newer Bemanna (database schema version {found}; this build knows versions up to {supported}). Update Bemanna to open it; the file was not changed")]
    NewerDatabase {
        /// The database file.
        path: String,
        /// Its schema version.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// The file is an SQLite database but not one of Bemanna's.
    #[error("{0} is not a Bemanna database (it has tables but no Bemanna schema version)")]
    NotBemanna(String),
    /// `open_existing` on a missing file.
    #[error("{0}: no such database (create one with `bemanna db init FILE`)")]
    NoDatabase(PathBuf),
    /// The database could not be opened or set up.
    #[error("{path}: {source}")]
    Open {
        /// The database file.
        path: String,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The backup copy before a migration could not be written; nothing was migrated.
    #[error(
        "could not back up {path} to {backup} before migrating it; the database was not changed"
    )]
    Backup {
        /// The database file.
        path: String,
        /// Where the copy was to go.
        backup: String,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// A migration failed; it was rolled back.
    #[error("migrating the database to schema version {version} failed and was rolled back")]
    Migration {
        /// The version that failed.
        version: u32,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// No such row.
    #[error("{0}")]
    NotFound(String),
    /// The project does not pass the solver's validation; nothing was written.
    #[error("the project is not valid, nothing was saved:{}", list(.0))]
    InvalidProject(Vec<FieldError>),
    /// The ROS workshop does not pass the solver's validation; nothing was written.
    #[error("the ROS workshop is not valid, nothing was saved:{}", list(.0))]
    InvalidWorkshop(Vec<FieldError>),
    /// A staff import has bad rows and the valid ones were not accepted; nothing was written.
    #[error("{file}: {} bad row(s), nothing was imported (accept the valid rows explicitly to import them)", .errors)]
    ImportRejected {
        /// The imported file.
        file: String,
        /// Number of bad rows.
        errors: usize,
    },
    /// A file to import could not be read as a staff list.
    #[error("{file}: {message}")]
    BadImportFile {
        /// The file.
        file: String,
        /// What is wrong with it as a whole.
        message: String,
    },
    /// Data in the database that does not read back as the model (should never happen).
    #[error("database content is damaged: {0}")]
    Corrupt(String),
    /// Any other SQLite error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// JSON (de)serialisation.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing an XLSX file.
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// File I/O.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

fn list(errs: &[FieldError]) -> String {
    errs.iter().map(|e| format!("\n  {e}")).collect()
}

impl Error {
    pub(crate) fn open(path: &Path, source: rusqlite::Error) -> Error {
        Error::Open {
            path: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
