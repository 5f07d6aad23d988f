//! The database on the command line: `db init`, `db list`, `import staff`, `export project`,
//! `export roster`, and `--db DB --project ID` in place of a PROJECT.json.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bemanna_solver::formats;
use bemanna_solver::model::{Instance, Project};
use bemanna_solver::roster::Roster;
use bemanna_store::{export, import, RosterInfo, RosterMeta, Seed, Store};
use clap::{Args, Subcommand};

use crate::CliError;

/// `--db DB --project ID`: read the project from a database instead of a PROJECT.json.
#[derive(Args, Clone, Debug, Default)]
pub struct DbSource {
    /// Read the project from this Bemanna database (instead of PROJECT.json).
    #[arg(long, requires = "project_id")]
    pub db: Option<PathBuf>,
    /// Project id in the database (`bemanna db list DB` shows them).
    #[arg(long = "project", value_name = "ID", requires = "db")]
    pub project_id: Option<i64>,
}

/// `bemanna db …`
#[derive(Subcommand)]
pub enum DbCmd {
    /// Create a database seeded with the demo home; prints the new project's id.
    Init {
        /// Database file to create.
        db: PathBuf,
    },
    /// List the projects in a database and their roster versions.
    List {
        /// Database file.
        db: PathBuf,
    },
}

/// `bemanna import …`
#[derive(Subcommand)]
pub enum ImportCmd {
    /// Import a staff list (CSV or XLSX) into a project. Exit 2 and nothing written when
    /// rows are bad, unless --accept-valid.
    Staff {
        /// Staff list: .csv (`;` or `,`, UTF-8 or Windows-1252) or .xlsx.
        file: PathBuf,
        /// Database file.
        #[arg(long)]
        db: PathBuf,
        /// Project id.
        #[arg(long = "project", value_name = "ID")]
        project_id: i64,
        /// Import the valid rows even when others are bad.
        #[arg(long)]
        accept_valid: bool,
    },
}

/// `bemanna export …`
#[derive(Subcommand)]
pub enum ExportCmd {
    /// Write the whole project as a project file (JSON).
    Project {
        /// Database file.
        #[arg(long)]
        db: PathBuf,
        /// Project id.
        #[arg(long = "project", value_name = "ID")]
        project_id: i64,
        /// Output file (.json).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write a roster: `.csv` (staff_id,date,shift_code,unit_id) or `.xlsx` (one row per
    /// person, one column per date, weekly hours). The version in use, else the newest.
    Roster {
        /// Database file.
        #[arg(long)]
        db: PathBuf,
        /// Project id.
        #[arg(long = "project", value_name = "ID")]
        project_id: i64,
        /// Output file (.csv or .xlsx).
        #[arg(long)]
        out: PathBuf,
        /// Roster version to export (default: the one in use, else the newest).
        #[arg(long)]
        version: Option<u32>,
    },
}

fn open(db: &Path) -> Result<Store, CliError> {
    Ok(Store::open_existing(db)?)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// The project, from a PROJECT.json or from `--db DB --project ID` (exactly one of them).
pub fn load_project_model(
    project_file: Option<&Path>,
    db: Option<&Path>,
    project_id: Option<i64>,
) -> Result<Project, CliError> {
    match (project_file, db, project_id) {
        (Some(_), Some(_), _) => Err(CliError(
            "give either PROJECT.json or --db DB --project ID, not both".into(),
        )),
        (Some(file), None, _) => {
            let name = file.display().to_string();
            formats::project_from_json(&crate::read(file)?, &name)
                .map_err(|e| CliError(e.to_string()))
        }
        (None, Some(db), Some(id)) => Ok(open(db)?.load_project(id)?),
        (None, Some(_), None) => Err(CliError("--db: needs --project ID".into())),
        (None, None, _) => Err(CliError(
            "a project is needed: PROJECT.json, or --db DB --project ID".into(),
        )),
    }
}

/// Loads and validates a project from a file or a database, optionally cut to N weeks.
pub fn load_instance(
    project_file: Option<&Path>,
    db: Option<&Path>,
    project_id: Option<i64>,
    weeks: Option<u32>,
) -> Result<Instance, CliError> {
    if let (Some(file), None) = (project_file, db) {
        return crate::load_project(file, weeks);
    }
    let mut p = load_project_model(project_file, db, project_id)?;
    if let Some(w) = weeks {
        if w == 0 {
            return Err(CliError("--weeks: must be at least 1".into()));
        }
        p = p.with_days(w * 7);
    }
    let name = format!(
        "{} project {}",
        db.map(|d| d.display().to_string()).unwrap_or_default(),
        project_id.unwrap_or_default()
    );
    Instance::new(p).map_err(|problems| crate::invalid(name, problems))
}

/// [`load_instance`] with a [`DbSource`].
pub fn load_from(
    project_file: Option<&Path>,
    src: &DbSource,
    weeks: Option<u32>,
) -> Result<Instance, CliError> {
    load_instance(project_file, src.db.as_deref(), src.project_id, weeks)
}

/// Who is saving: `$USER`, else `bemanna`.
fn user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "bemanna".into())
}

/// Saves a roster as a new version when the project came from a database; None otherwise.
pub fn save_roster(
    src: &DbSource,
    roster: &Roster,
    reason: &str,
) -> Result<Option<RosterInfo>, CliError> {
    let (Some(db), Some(id)) = (&src.db, src.project_id) else {
        return Ok(None);
    };
    let mut store = open(db)?;
    Ok(Some(store.save_roster(
        id,
        roster,
        &RosterMeta::new(user(), reason),
    )?))
}

/// `check [PROJECT] ROSTER`: with --db the one file given is the roster.
pub fn check_files(
    first: Option<PathBuf>,
    second: Option<PathBuf>,
    src: &DbSource,
) -> Result<(Option<PathBuf>, PathBuf), CliError> {
    project_and_file(first, second, src, "ROSTER")
}

/// `PROJECT.json FILE`, or `--db DB --project ID FILE`: with --db the one positional
/// given is the other file (`what` names it in messages).
pub fn project_and_file(
    first: Option<PathBuf>,
    second: Option<PathBuf>,
    src: &DbSource,
    what: &str,
) -> Result<(Option<PathBuf>, PathBuf), CliError> {
    match (src.db.is_some(), first, second) {
        (true, Some(f), None) => Ok((None, f)),
        (true, Some(_), Some(_)) => Err(CliError(format!(
            "with --db, give only the {what} file (the project comes from the database)"
        ))),
        (false, Some(p), Some(f)) => Ok((Some(p), f)),
        _ => Err(CliError(format!(
            "give PROJECT.json {what}, or --db DB --project ID {what}"
        ))),
    }
}

/// How the project is named in messages: its file, or `DB project ID`.
pub fn source_name(project_file: Option<&Path>, src: &DbSource) -> String {
    match (project_file, &src.db) {
        (Some(f), _) => f.display().to_string(),
        (None, Some(db)) => format!(
            "{} project {}",
            db.display(),
            src.project_id.unwrap_or_default()
        ),
        (None, None) => String::new(),
    }
}

/// Saves a finished study when the project came from a database: the scenario definition
/// (under the scenario's file name), the aggregates, and the per-scenario records when kept.
pub fn save_study(
    src: &DbSource,
    scenario_file: &Path,
    res: &bemanna_solver::montecarlo::StudyResult,
) -> Result<Option<i64>, CliError> {
    let (Some(db), Some(id)) = (&src.db, src.project_id) else {
        return Ok(None);
    };
    let mut store = open(db)?;
    let def: serde_json::Value = serde_json::from_str(&crate::read(scenario_file)?)
        .map_err(|e| CliError(format!("{}: {e}", scenario_file.display())))?;
    let name = scenario_file.file_stem().map_or_else(
        || res.scenario.clone(),
        |s| s.to_string_lossy().into_owned(),
    );
    let label = format!("{} ({} runs, seed {})", res.scenario, res.runs, res.seed);
    Ok(Some(store.save_study_result(id, &name, &def, res, &label)?))
}

/// `bemanna db …`
pub fn db_cmd(w: &mut impl Write, cmd: DbCmd) -> Result<ExitCode, CliError> {
    match cmd {
        DbCmd::Init { db } => {
            if db.exists() {
                return Err(CliError(format!(
                    "{}: already exists; `bemanna db list {}` shows what it holds",
                    db.display(),
                    db.display()
                )));
            }
            let store = Store::open_with(&db, Seed::DemoHome)?;
            let id = store
                .opened()
                .seeded
                .ok_or_else(|| CliError(format!("{}: was not seeded", db.display())))?;
            let name = store.load_project(id)?.name;
            eprintln!(
                "{}: created with the demo home \"{name}\" as project {id}",
                db.display()
            );
            writeln!(w, "{id}")?;
        }
        DbCmd::List { db } => {
            let store = open(&db)?;
            for p in store.projects()? {
                writeln!(
                    w,
                    "project {}: {} — {} staff, {} days from {}",
                    p.id, p.name, p.staff, p.days, p.start
                )?;
                for (run, label) in store.study_runs(p.id)? {
                    writeln!(w, "  study run {run}: {label}")?;
                }
                for r in store.rosters(p.id)? {
                    writeln!(
                        w,
                        "  roster version {}{}: {} assignments, saved {} by {} ({})",
                        r.version,
                        if r.in_use { " (i bruk)" } else { "" },
                        r.assignments,
                        r.saved_at,
                        r.saved_by,
                        r.reason
                    )?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `bemanna import …`: exit 2 with every bad row listed and nothing written, unless
/// `--accept-valid`.
pub fn import_cmd(w: &mut impl Write, cmd: ImportCmd) -> Result<ExitCode, CliError> {
    let ImportCmd::Staff {
        file,
        db,
        project_id,
        accept_valid,
    } = cmd;
    let mut store = open(&db)?;
    let project = store.load_project(project_id)?;
    let imp = import::read_staff_file(&file, &project)?;
    write!(w, "{}", imp.mapping())?;
    writeln!(
        w,
        "{} valid row(s), {} bad row(s)",
        imp.rows.len(),
        imp.errors.len()
    )?;
    for e in &imp.errors {
        eprintln!("{}: {e}", file.display());
    }
    if !imp.errors.is_empty() && !accept_valid {
        eprintln!(
            "bemanna: {}: {} bad row(s); nothing was imported (--accept-valid imports the {} valid row(s))",
            file.display(),
            imp.errors.len(),
            imp.rows.len()
        );
        return Ok(ExitCode::from(2));
    }
    let out = store.import_staff(project_id, &imp, accept_valid)?;
    writeln!(
        w,
        "imported into project {project_id}: {} added, {} updated, {} bad row(s) left out",
        out.added, out.updated, out.skipped
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `bemanna export …`
pub fn export_cmd(w: &mut impl Write, cmd: ExportCmd) -> Result<ExitCode, CliError> {
    match cmd {
        ExportCmd::Project {
            db,
            project_id,
            out,
        } => {
            let p = open(&db)?.load_project(project_id)?;
            write_file(&out, export::project_json(&p).as_bytes())?;
            writeln!(w, "wrote project {project_id} to {}", out.display())?;
        }
        ExportCmd::Roster {
            db,
            project_id,
            out,
            version,
        } => {
            let store = open(&db)?;
            let p = store.load_project(project_id)?;
            let info = match version {
                Some(v) => store
                    .rosters(project_id)?
                    .into_iter()
                    .find(|r| r.version == v)
                    .ok_or_else(|| {
                        CliError(format!("project {project_id} has no roster version {v}"))
                    })?,
                None => store.current_roster(project_id)?.ok_or_else(|| {
                    CliError(format!(
                        "project {project_id} has no roster yet (plan one with `bemanna roster --db {} --project {project_id}`)",
                        db.display()
                    ))
                })?,
            };
            let (info, roster) = store.load_roster(info.id)?;
            let ext = out
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            match ext.as_str() {
                "xlsx" => {
                    let title = format!(
                        "{} – turnus versjon {}{}, lagret {} av {}",
                        p.name,
                        info.version,
                        if info.in_use { " (i bruk)" } else { "" },
                        &info.saved_at[..10.min(info.saved_at.len())],
                        info.saved_by
                    );
                    write_file(&out, &export::roster_xlsx(&p, &roster, &title)?)?;
                }
                "csv" => write_file(&out, export::roster_csv(&roster).as_bytes())?,
                _ => {
                    return Err(CliError(format!(
                        "{}: --out must end in .csv or .xlsx",
                        out.display()
                    )))
                }
            }
            writeln!(
                w,
                "wrote roster version {} ({} assignments) to {}",
                info.version,
                info.assignments,
                out.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
