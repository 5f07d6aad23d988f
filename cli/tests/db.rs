//! `bemanna db`, `import staff`, `export`, and `--db DB --project ID` on `roster` and `check`.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{bemanna, root};

/// A new database in a temporary folder, seeded with the demo home (project 1).
fn init(dir: &Path) -> PathBuf {
    let db = dir.join("hjem.sqlite");
    bemanna()
        .args(["db", "init"])
        .arg(&db)
        .assert()
        .success()
        .stdout("1\n")
        .stderr(predicate::str::contains("Solbakken sykehjem"));
    db
}

fn export_project(db: &Path, out: &Path) -> serde_json::Value {
    bemanna()
        .args(["export", "project", "--project", "1", "--db"])
        .arg(db)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn db_init_prints_the_project_id_and_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    bemanna()
        .args(["db", "init"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    bemanna()
        .args(["db", "list"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "project 1: Solbakken sykehjem — 65 staff",
        ));
}

#[test]
fn export_project_gives_back_the_demo_home_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    let out = dir.path().join("p.json");
    export_project(&db, &out);
    let text = std::fs::read_to_string(root().join("fixtures/demo-home.json")).unwrap();
    let demo = bemanna_solver::formats::project_from_json(&text, "demo-home.json").unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        bemanna_solver::formats::project_to_json(&demo)
    );
}

#[test]
fn import_with_bad_rows_exits_2_lists_every_row_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    let before = export_project(&db, &dir.path().join("before.json"));
    let a = bemanna()
        .args([
            "import",
            "staff",
            "fixtures/staff/ansatte-med-feil.csv",
            "--project",
            "1",
            "--db",
        ])
        .arg(&db)
        .assert()
        .code(2)
        .stdout(
            predicate::str::contains("`Ansattnr`").and(predicate::str::contains("employee number")),
        )
        .stderr(predicate::str::contains("nothing was imported"));
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    for (line, why) in [
        (3, "unknown unit `Avd 9`"),
        (4, "unknown position/skill `Lege`"),
        (5, "name is empty"),
        (6, "employee number 2001 is also on line 2"),
        (7, "stillingsprosent `åtti` is not a number"),
        (8, "stillingsprosent `120` is not between 0 and 100"),
    ] {
        assert!(
            err.contains(&format!("line {line}: {why}")),
            "line {line} missing in:\n{err}"
        );
    }
    let after = export_project(&db, &dir.path().join("after.json"));
    assert_eq!(before, after, "nothing written");

    // Accepting the valid rows writes those two.
    bemanna()
        .args([
            "import",
            "staff",
            "fixtures/staff/ansatte-med-feil.csv",
            "--project",
            "1",
            "--accept-valid",
            "--db",
        ])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 added, 0 updated, 6 bad row(s) left out",
        ));
    let after = export_project(&db, &dir.path().join("after2.json"));
    let ids: Vec<&str> = after["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 67);
    assert!(ids.contains(&"2001") && ids.contains(&"2007") && !ids.contains(&"2002"));
}

#[test]
fn import_of_a_good_csv_and_an_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    bemanna()
        .args([
            "import",
            "staff",
            "fixtures/staff/ansatte.csv",
            "--project",
            "1",
            "--db",
        ])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("3 added, 1 updated"));
    let p = export_project(&db, &dir.path().join("p.json"));
    let per = p["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "2001")
        .unwrap();
    assert_eq!(per["name"], "Nilsen, Per");
    assert_eq!(per["stillingsprosent"], 80.5);
    assert_eq!(per["unit"], "KT");
    // The XLSX has one bad row: refused without --accept-valid.
    bemanna()
        .args([
            "import",
            "staff",
            "fixtures/staff/ansatte.xlsx",
            "--project",
            "1",
            "--db",
        ])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 6: unknown unit `Avd X`"));
}

#[test]
fn roster_from_the_database_is_saved_exported_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    let roster = bemanna()
        .args([
            "--lang",
            "en",
            "roster",
            "--project",
            "1",
            "--weeks",
            "1",
            "--time-limit",
            "5",
            "--db",
        ])
        .arg(&db)
        .assert()
        .stderr(predicate::str::contains("saved as roster version 1"));
    let code = roster.get_output().status.code();
    assert!(matches!(code, Some(0 | 1)), "{code:?}");
    bemanna()
        .args(["db", "list"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("roster version 1:"));
    let csv = dir.path().join("r.csv");
    bemanna()
        .args(["export", "roster", "--project", "1", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("staff_id,date,shift_code,unit_id\n"));
    assert!(text.lines().count() > 50, "{text}");
    let xlsx = dir.path().join("r.xlsx");
    bemanna()
        .args(["export", "roster", "--project", "1", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&xlsx)
        .assert()
        .success();
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "an XLSX is a zip file"
    );
    // `check` reads the project from the database; the one file given is the roster.
    let c = bemanna()
        .args(["check", "--project", "1", "--db"])
        .arg(&db)
        .arg(&csv)
        .assert();
    assert!(matches!(c.get_output().status.code(), Some(0 | 1)));
    // An unknown version is an error.
    bemanna()
        .args([
            "export",
            "roster",
            "--project",
            "1",
            "--version",
            "9",
            "--db",
        ])
        .arg(&db)
        .arg("--out")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no roster version 9"));
}

#[test]
fn bad_database_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("finnes-ikke.sqlite");
    bemanna()
        .args(["roster", "--project", "1", "--db"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such database"));
    assert!(
        !missing.exists(),
        "a missing database is not created by reading"
    );
    let db = init(dir.path());
    bemanna()
        .args([
            "roster",
            "fixtures/cases/mini.json",
            "--project",
            "1",
            "--db",
        ])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not both"));
    bemanna()
        .args(["roster", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--project"));
    bemanna()
        .args(["check", "--project", "7", "--db"])
        .arg(&db)
        .arg("r.csv")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no project with id 7"));
    bemanna()
        .args(["export", "project", "--project", "1", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(dir.path().join("no/such/dir/p.json"))
        .assert()
        .code(2);
}

#[test]
fn simulate_from_the_database_saves_the_study() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    bemanna()
        .args([
            "simulate",
            "--project",
            "1",
            "fixtures/scenarios/wave-mild.json",
        ])
        .args([
            "--roster",
            "fixtures/demo-roster-8w.csv",
            "--runs",
            "16",
            "--quiet",
        ])
        .arg("--keep-scenarios")
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stderr(predicate::str::contains("saved as study run 1"));
    bemanna()
        .args(["db", "list"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "study run 1: Mild bølge (16 runs, seed 1)",
        ));
    let store = bemanna_store::Store::open_existing(&db).unwrap();
    let run = store.load_study_run(1).unwrap();
    assert_eq!((run.runs, run.seed, run.project_id), (16, 1, 1));
    assert_eq!(run.aggregates["runs"], 16);
    assert!(run.aggregates.get("scenarios").is_none(), "kept apart");
    let per: Vec<(u32, serde_json::Value)> = store.study_metrics(1).unwrap();
    assert_eq!(per.len(), 16, "one metrics row per kept scenario");
    let sc = store.scenarios(1).unwrap();
    assert_eq!(sc[0].name, "wave-mild");
    assert_eq!(Some(sc[0].id), run.scenario_id);
    // With --db, a second positional is one too many.
    bemanna()
        .args([
            "simulate",
            "fixtures/demo-home.json",
            "fixtures/scenarios/wave-mild.json",
        ])
        .args(["--project", "1", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give only the SCENARIO file"));
}

#[test]
fn replan_reads_the_project_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = init(dir.path());
    let abs = dir.path().join("abs.csv");
    std::fs::write(
        &abs,
        "staff_id,kind,from,to\n1001,karantene,16.03.2026,20.03.2026\n",
    )
    .unwrap();
    let a = bemanna()
        .args([
            "replan",
            "--project",
            "1",
            "fixtures/demo-roster-4w.csv",
            "--absences",
        ])
        .arg(&abs)
        .args(["--from", "16.03.2026", "--db"])
        .arg(&db)
        .assert();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(matches!(a.get_output().status.code(), Some(0 | 1)), "{a:?}");
    assert!(out.contains("Endringer fra 16.03.2026"), "{out}");
}
