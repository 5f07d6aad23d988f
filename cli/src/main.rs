//! `bemanna`: plan, check and benchmark rosters from the command line.
//!
//! Exit codes: 0 ok; 1 the roster breaks a rule or leaves minimum demand uncovered;
//! 2 bad input or another error.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod bench;
mod db;
mod report;
mod ros;
mod sim;

use bemanna_solver::model::{FieldError, Instance, Lang};
use bemanna_solver::{check, explain, formats, plan};

/// Bemanna: staffing and quarantine scenario planning for nursing homes.
#[derive(Parser)]
#[command(name = "bemanna", version, about)]
struct Cli {
    /// Language of explanations.
    #[arg(long, value_enum, default_value_t = LangArg::Nb, global = true)]
    lang: LangArg,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// Norsk bokmål.
    Nb,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nb => Lang::Nb,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Plan a roster for a project and print it with a summary.
    Roster {
        /// Project file (JSON); or --db DB --project ID, and the roster is saved there.
        project: Option<PathBuf>,
        #[command(flatten)]
        db: db::DbSource,
        /// Plan only the first N weeks of the horizon.
        #[arg(long)]
        weeks: Option<u32>,
        /// Time limit in seconds; the best roster found by then is returned.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        /// Stop at this relative gap to the best bound.
        #[arg(long, default_value_t = 0.001)]
        gap: f64,
        /// Write the roster here: `.csv` (staff_id,date,shift_code,unit_id) or `.json`.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print HiGHS's log.
        #[arg(long)]
        verbose: bool,
    },
    /// Check a roster (CSV or JSON) against a project's rules.
    Check {
        /// Project file (JSON); left out with --db DB --project ID.
        project: Option<PathBuf>,
        /// Roster file (CSV or JSON).
        roster: Option<PathBuf>,
        #[command(flatten)]
        db: db::DbSource,
    },
    /// Run a wave study: N scenarios of infection and quarantine, each repairing the roster.
    Simulate {
        /// Project file (JSON); left out with --db DB --project ID (the study is saved there).
        project: Option<PathBuf>,
        /// Scenario file (JSON), e.g. fixtures/scenarios/wave-severe-2020.json.
        scenario: Option<PathBuf>,
        #[command(flatten)]
        db: db::DbSource,
        /// Scenarios to run.
        #[arg(long, default_value_t = 1000)]
        runs: usize,
        /// Worker threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Master seed; the same seed gives the same result on any thread count.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the full results (JSON) here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Roster in force (CSV or JSON); planned first when absent.
        #[arg(long)]
        roster: Option<PathBuf>,
        /// Seconds to plan the roster when none is given.
        #[arg(long, default_value_t = 20.0)]
        plan_time: f64,
        /// Keep one record per scenario in the results.
        #[arg(long)]
        keep_scenarios: bool,
        /// Event "at least K uncovered shifts in one week": K.
        #[arg(long, default_value_t = 10)]
        weekly_uncovered: u32,
        /// Event "agency cost above NOK": the threshold.
        #[arg(long, default_value_t = 500_000.0)]
        agency_cost: f64,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// ROS workshop: grade each hazard from wave studies, compare the measures on the same
    /// seeds, print the matrix and the ranking, and write the report.
    Ros {
        /// Project file (JSON).
        project: PathBuf,
        /// ROS file (JSON), e.g. fixtures/ros-demo-home.json; its scenario and roster paths
        /// are relative to it.
        ros: PathBuf,
        /// Scenarios per study (default: the ROS file's `runs`).
        #[arg(long)]
        runs: Option<usize>,
        /// Worker threads (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// Write the workshop report: `.pdf` or `.html` (or `.json`: the assessment as
        /// data); may be given more than once.
        #[arg(long)]
        report: Vec<PathBuf>,
        /// Seconds to plan a roster when the ROS file names none.
        #[arg(long, default_value_t = 20.0)]
        plan_time: f64,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Repair a roster in force after new absences and print the changes.
    Replan {
        /// Project file (JSON); left out with --db DB --project ID.
        project: Option<PathBuf>,
        /// Roster in force (CSV or JSON).
        roster: Option<PathBuf>,
        #[command(flatten)]
        db: db::DbSource,
        /// New absences: JSON array, or CSV staff_id,kind,from,to.
        #[arg(long)]
        absences: PathBuf,
        /// First day that may change (dd.mm.yyyy); earlier days are frozen.
        #[arg(long)]
        from: String,
        /// Write the repaired roster here (.csv or .json).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Use the full MIP re-plan with this time limit in seconds (default: the day-by-day repair).
        #[arg(long)]
        mip: Option<f64>,
    },
    /// The Bemanna database: create one, list what it holds.
    Db {
        #[command(subcommand)]
        which: db::DbCmd,
    },
    /// Import into a database (staff lists).
    Import {
        #[command(subcommand)]
        which: db::ImportCmd,
    },
    /// Export from a database (project file, roster as CSV or XLSX).
    Export {
        #[command(subcommand)]
        which: db::ExportCmd,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        which: BenchCmd,
    },
}

/// The inputs of a study benchmark: the demo home's severe wave by default.
#[derive(clap::Args)]
struct StudyFiles {
    /// Project file.
    #[arg(long, default_value = "fixtures/demo-home.json")]
    project: PathBuf,
    /// Scenario file.
    #[arg(long, default_value = "fixtures/scenarios/wave-severe-2020.json")]
    scenario: PathBuf,
    /// Roster in force.
    #[arg(long, default_value = "fixtures/demo-roster-8w.csv")]
    roster: PathBuf,
}

#[derive(Subcommand)]
enum BenchCmd {
    /// The Curtois & Qu instances: objective and gap to the best known value per instance.
    Curtois {
        /// Folder with InstanceN.txt and best_known.csv.
        dir: PathBuf,
        /// Seconds per instance.
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
        /// Instances, e.g. `1-7` or `1,3,8-10`.
        #[arg(long, default_value = "1-10")]
        instances: String,
        /// Write each solution as OUTDIR/InstanceN.csv (staff_id,day,shift_id).
        #[arg(long)]
        solutions: Option<PathBuf>,
        /// Share of the time given to the monolithic MIP before the improvement layer (1 = MIP only).
        #[arg(long, default_value_t = 0.15)]
        first_share: f64,
    },
    /// Monte Carlo speed (1 and 2 threads) and memory for the severe wave on the demo home.
    Simulate {
        #[command(flatten)]
        files: StudyFiles,
        /// Scenarios per run.
        #[arg(long, default_value_t = 10_000)]
        runs: usize,
    },
    /// The Monte Carlo's day-by-day repair against the full MIP re-plan.
    Repair {
        #[command(flatten)]
        files: StudyFiles,
        /// Sampled repair problems.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Days repaired from the sampled day.
        #[arg(long, default_value_t = 14)]
        window: usize,
        /// MIP time limit per problem in seconds.
        #[arg(long, default_value_t = 5.0)]
        time_limit: f64,
        /// Only these problems, e.g. `179` or `170-182` (for a closer look at a few).
        #[arg(long)]
        only: Option<String>,
    },
    /// Time and gap of planning a project (the demo home by default).
    Plan {
        /// Project file.
        #[arg(default_value = "fixtures/demo-home.json")]
        project: PathBuf,
        /// Time limit in seconds.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        /// Repetitions (different seeds).
        #[arg(long, default_value_t = 1)]
        runs: u32,
        /// Share of the time given to the monolithic MIP before the improvement layer (1 = MIP only).
        #[arg(long, default_value_t = plan::PlanOptions::default().first_share)]
        first_share: f64,
    },
}

/// An error for the user: what went wrong, with its whole chain.
#[derive(Debug)]
pub struct CliError(pub String);

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> Self {
        let mut s = e.to_string();
        let mut src = e.source();
        while let Some(c) = src {
            s.push_str(&format!(": {c}"));
            src = c.source();
        }
        CliError(s)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bemanna: {}", e.0);
            ExitCode::from(2)
        }
    }
}

/// Problems found in `file`, each named by its field, as one error for the user.
pub fn invalid(file: impl Into<String>, problems: Vec<FieldError>) -> CliError {
    formats::FormatError {
        file: file.into(),
        problems,
    }
    .into()
}

/// Reads a file, naming it on failure.
pub fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

/// Loads and validates a project, optionally cut to N weeks.
pub fn load_project(path: &Path, weeks: Option<u32>) -> Result<Instance, CliError> {
    let file = path.display().to_string();
    let mut p =
        formats::project_from_json(&read(path)?, &file).map_err(|e| CliError(e.to_string()))?;
    if let Some(w) = weeks {
        if w == 0 {
            return Err(CliError("--weeks: must be at least 1".into()));
        }
        p = p.with_days(w * 7);
    }
    Instance::new(p).map_err(|problems| invalid(file, problems))
}

/// Project over the scenario's horizon, its roster in force, and the scenario.
fn study_inputs(
    StudyFiles {
        project,
        scenario,
        roster,
    }: &StudyFiles,
) -> Result<
    (
        Instance,
        bemanna_solver::roster::Grid,
        bemanna_solver::waves::Scenario,
    ),
    CliError,
> {
    let file = project.display().to_string();
    let p =
        formats::project_from_json(&read(project)?, &file).map_err(|e| CliError(e.to_string()))?;
    let sc = sim::load_scenario(scenario)?;
    let days = sc.days.unwrap_or(p.days);
    let inst = Instance::new(p.with_days(days)).map_err(|problems| invalid(file, problems))?;
    let rfile = roster.display().to_string();
    let grid =
        formats::read_roster(&read(roster)?, &rfile, &inst).map_err(|e| CliError(e.to_string()))?;
    Ok((inst, grid, sc))
}

fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let lang: Lang = cli.lang.into();
    let out = io::stdout();
    let mut w = out.lock();
    let res = match cli.cmd {
        Cmd::Roster {
            project,
            db,
            weeks,
            time_limit,
            gap,
            out,
            verbose,
        } => {
            if !(time_limit.is_finite() && time_limit > 0.0) {
                return Err(CliError(
                    "--time-limit: must be a positive number of seconds".into(),
                ));
            }
            let inst = db::load_from(project.as_deref(), &db, weeks)?;
            let opts = plan::PlanOptions {
                time_limit,
                rel_gap: gap,
                verbose,
                ..Default::default()
            };
            let outcome = plan::plan(&inst, &opts);
            let roster = outcome.grid.to_roster(&inst);
            if let Some(path) = &out {
                let text = if path.extension().is_some_and(|e| e == "json") {
                    formats::roster_to_json(&roster)
                } else {
                    formats::roster_to_csv(&roster)
                };
                std::fs::write(path, text)
                    .map_err(|e| CliError(format!("{}: {e}", path.display())))?;
            }
            let reason = format!("bemanna roster, {} days planned", inst.n_days());
            if let Some(r) = db::save_roster(&db, &roster, &reason)? {
                eprintln!("saved as roster version {} (id {})", r.version, r.id);
            }
            let violations = check::check(&inst, &outcome.grid);
            let shortages = explain::explain(&inst, &outcome.grid);
            report::roster(
                &mut w,
                &inst,
                &outcome,
                &violations,
                &shortages,
                lang,
                out.as_deref(),
            )
            .map(|_| {
                if violations.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            })
        }
        Cmd::Check {
            project,
            roster,
            db,
        } => {
            let (project, roster) = db::check_files(project, roster, &db)?;
            let inst = db::load_from(project.as_deref(), &db, None)?;
            let file = roster.display().to_string();
            let grid = formats::read_roster(&read(&roster)?, &file, &inst)
                .map_err(|e| CliError(e.to_string()))?;
            let violations = check::check(&inst, &grid);
            report::violations(&mut w, &violations, lang).map(|_| {
                if violations.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            })
        }
        Cmd::Ros {
            project,
            ros,
            runs,
            threads,
            report,
            plan_time,
            quiet,
        } => {
            if runs == Some(0) {
                return Err(CliError("--runs: must be at least 1".into()));
            }
            let file = project.display().to_string();
            let p = formats::project_from_json(&read(&project)?, &file)
                .map_err(|e| CliError(e.to_string()))?;
            ros::ros(
                &mut w,
                ros::RosArgs {
                    project: p,
                    project_file: file,
                    ros: &ros,
                    runs: runs.unwrap_or(0),
                    threads,
                    reports: report,
                    plan_time,
                    progress: !quiet,
                },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Simulate {
            project,
            scenario,
            db,
            runs,
            threads,
            seed,
            out,
            roster,
            plan_time,
            keep_scenarios,
            weekly_uncovered,
            agency_cost,
            quiet,
        } => {
            if runs == 0 {
                return Err(CliError("--runs: must be at least 1".into()));
            }
            let (project, scenario) = db::project_and_file(project, scenario, &db, "SCENARIO")?;
            let file = db::source_name(project.as_deref(), &db);
            let p = db::load_project_model(project.as_deref(), db.db.as_deref(), db.project_id)?;
            let args = sim::SimulateArgs {
                project: p,
                project_file: file,
                scenario: &scenario,
                roster: roster.as_deref(),
                plan_time,
                opts: bemanna_solver::montecarlo::StudyOptions {
                    runs,
                    seed,
                    threads,
                    keep_scenarios,
                    events: bemanna_solver::montecarlo::Events {
                        weekly_uncovered,
                        agency_cost_nok: agency_cost,
                    },
                },
                out: out.as_deref(),
                progress: !quiet,
            };
            let res = sim::simulate(&mut w, args, lang)?;
            if let Some(id) = db::save_study(&db, &scenario, &res)? {
                eprintln!("saved as study run {id}");
            }
            if std::env::var_os("BEMANNA_REPORT_RSS").is_some() {
                if let Some(k) = bench::peak_rss_kib() {
                    eprintln!("peak-rss-kib {k}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Replan {
            project,
            roster,
            db,
            absences,
            from,
            out,
            mip,
        } => {
            let (project, roster) = db::check_files(project, roster, &db)?;
            let inst = db::load_from(project.as_deref(), &db, None)?;
            let ok = sim::replan_cmd(
                &mut w,
                &inst,
                &roster,
                &absences,
                &from,
                out.as_deref(),
                mip,
                lang,
            )?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Cmd::Db { which } => Ok(db::db_cmd(&mut w, which)?),
        Cmd::Import { which } => Ok(db::import_cmd(&mut w, which)?),
        Cmd::Export { which } => Ok(db::export_cmd(&mut w, which)?),
        Cmd::Bench { which } => match which {
            BenchCmd::Curtois {
                dir,
                time_limit,
                instances,
                solutions,
                first_share,
            } => {
                let list = bench::parse_range("--instances", &instances)?;
                bench::curtois(
                    &mut w,
                    &dir,
                    time_limit,
                    first_share,
                    &list,
                    solutions.as_deref(),
                )
                .map(|_| ExitCode::SUCCESS)
            }
            BenchCmd::Simulate { files, runs } => {
                let (inst, grid, sc) = study_inputs(&files)?;
                let exe = std::env::current_exe()?;
                bench::simulate_bench(
                    &mut w,
                    &inst,
                    &grid,
                    &sc,
                    runs,
                    Some([&exe, &files.project, &files.scenario]),
                )?;
                Ok(ExitCode::SUCCESS)
            }
            BenchCmd::Repair {
                files,
                samples,
                window,
                time_limit,
                only,
            } => {
                let (inst, grid, sc) = study_inputs(&files)?;
                let only = only
                    .as_deref()
                    .map(|o| bench::parse_range("--only", o))
                    .transpose()?;
                bench::repair_bench(
                    &mut w,
                    &inst,
                    &grid,
                    &sc,
                    samples,
                    window,
                    time_limit,
                    only.as_deref(),
                )?;
                Ok(ExitCode::SUCCESS)
            }
            BenchCmd::Plan {
                project,
                time_limit,
                runs,
                first_share,
            } => {
                let inst = load_project(&project, None)?;
                bench::plan_bench(&mut w, &inst, time_limit, runs, first_share)
                    .map(|_| ExitCode::SUCCESS)
            }
        },
    };
    match res {
        Ok(code) => Ok(code),
        // A closed pipe (`bemanna … | head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}
