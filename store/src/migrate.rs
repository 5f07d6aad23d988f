//! Versioned migrations kept in the binary. The schema version is SQLite's `user_version`;
//! each migration and its version record commit in one transaction, so a crash leaves the
//! file at the old version or the new one, never between.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Opened, Result};

/// The migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_projects_and_rosters.sql"),
    include_str!("../migrations/002_studies_and_ros.sql"),
    include_str!("../migrations/003_ros_workshop.sql"),
    include_str!("../migrations/004_assignment_cohort.sql"),
];

/// Schema version written by this build.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Brings the database up to `migrations.len()`. A file with data at an older version is
/// copied with `VACUUM INTO` first; a newer file is refused before anything is written.
pub(crate) fn migrate(
    conn: &mut Connection,
    path: Option<&Path>,
    migrations: &[&str],
) -> Result<Opened> {
    let name = path.map_or_else(|| ":memory:".to_string(), |p| p.display().to_string());
    let target = migrations.len() as u32;
    // One statement, one snapshot: another process may be creating the schema right now.
    let (found, tables): (u32, i64) = conn
        .query_row(
            "SELECT (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_master WHERE type = 'table')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| Error::open(Path::new(&name), e))?;
    if found > target {
        return Err(Error::NewerDatabase {
            path: name,
            found,
            supported: target,
        });
    }
    if found == 0 && tables > 0 {
        return Err(Error::NotBemanna(name));
    }
    let mut opened = Opened {
        from_version: found,
        ..Opened::default()
    };
    if found == target {
        return Ok(opened);
    }
    if found == 0 {
        // A new file gets every migration in one transaction, so a second opener never sees
        // a half-made schema (it would take it for an old file and back it up).
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if user_version(&tx)? == 0 {
            for (i, sql) in migrations.iter().enumerate() {
                let version = i as u32 + 1;
                tx.execute_batch(sql)
                    .and_then(|()| tx.pragma_update(None, "user_version", version))
                    .map_err(|source| Error::Migration { version, source })?;
            }
            tx.commit().map_err(|source| Error::Migration {
                version: target,
                source,
            })?;
        }
        return Ok(opened);
    }
    if let Some(p) = path {
        opened.backup = Some(backup(conn, p, found)?);
    }
    for (i, sql) in migrations.iter().enumerate() {
        let version = i as u32 + 1;
        // IMMEDIATE takes the write lock first: of two processes opening the same old
        // file, the second waits, then sees the new version and skips.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if user_version(&tx)? >= version {
            continue;
        }
        tx.execute_batch(sql)
            .and_then(|()| tx.pragma_update(None, "user_version", version))
            .and_then(|()| tx.commit())
            .map_err(|source| Error::Migration { version, source })?;
    }
    Ok(opened)
}

/// `VACUUM INTO` a file beside the database: `NAME.v1-backup-20260302T101500.sqlite`.
fn backup(conn: &Connection, path: &Path, version: u32) -> Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let file = path
        .file_name()
        .map_or_else(|| "bemanna".into(), |f| f.to_string_lossy().into_owned());
    let mut n = 0;
    loop {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let dest = path.with_file_name(format!("{file}.v{version}-backup-{stamp}{suffix}.sqlite"));
        n += 1;
        if dest.exists() {
            continue;
        }
        match conn.execute("VACUUM INTO ?1", [dest.to_string_lossy().as_ref()]) {
            Ok(_) => return Ok(dest),
            // Another opener took the same name in the same second: try the next one.
            Err(_) if dest.exists() && n < 100 => continue,
            Err(source) => {
                return Err(Error::Backup {
                    path: path.display().to_string(),
                    backup: dest.display().to_string(),
                    source,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M1: &str = "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);";
    const M2: &str = "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'x';";
    const BAD: &str = "CREATE TABLE u (a); INSERT INTO nowhere VALUES (1);";

    #[test]
    fn older_file_is_backed_up_then_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        let mut c = Connection::open(&p).unwrap();
        let o = migrate(&mut c, Some(&p), &[M1]).unwrap();
        assert_eq!((o.from_version, o.backup.clone()), (0, None));
        let o = migrate(&mut c, Some(&p), &[M1, M2]).unwrap();
        assert_eq!(o.from_version, 1);
        assert!(o.backup.expect("a backup of the version 1 file").exists());
        assert_eq!(user_version(&c).unwrap(), 2);
        let b: String = c.query_row("SELECT b FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(b, "x");
        // Opening again at the current version takes no second backup.
        let o = migrate(&mut c, Some(&p), &[M1, M2]).unwrap();
        assert_eq!((o.from_version, o.backup), (2, None));
    }

    #[test]
    fn backup_holds_the_old_version() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        let mut c = Connection::open(&p).unwrap();
        migrate(&mut c, Some(&p), &[M1]).unwrap();
        let o = migrate(&mut c, Some(&p), &[M1, M2]).unwrap();
        let old = Connection::open(o.backup.unwrap()).unwrap();
        assert_eq!(user_version(&old).unwrap(), 1);
        let cols: i64 = old
            .query_row("SELECT count(*) FROM pragma_table_info('t')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(cols, 1);
        let a: i64 = old.query_row("SELECT a FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(a, 1);
    }

    #[test]
    fn newer_file_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("db.sqlite");
        let mut c = Connection::open(&p).unwrap();
        migrate(&mut c, Some(&p), &[M1, M2]).unwrap();
        let e = migrate(&mut c, Some(&p), &[M1]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::NewerDatabase {
                    found: 2,
                    supported: 1,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("newer Bemanna"), "{e}");
        assert_eq!(user_version(&c).unwrap(), 2);
    }

    #[test]
    fn failed_migration_rolls_back_to_the_old_version() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, None, &[M1]).unwrap();
        let e = migrate(&mut c, None, &[M1, BAD]).unwrap_err();
        assert!(matches!(e, Error::Migration { version: 2, .. }), "{e}");
        assert_eq!(user_version(&c).unwrap(), 1);
        let u: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'u'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(u, 0, "the failed migration's table is rolled back too");
    }

    #[test]
    fn foreign_database_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE other (x)").unwrap();
        assert!(matches!(
            migrate(&mut c, None, &[M1]),
            Err(Error::NotBemanna(_))
        ));
    }
}
