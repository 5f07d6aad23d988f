//! The `bemanna` command: exit codes, files written, and clear errors for bad input.

use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{bemanna, root};

fn mini() -> String {
    std::fs::read_to_string(root().join("fixtures/cases/mini.json")).unwrap()
}

/// `bemanna roster` on a project refuses it with exit 2 and a message containing `msg`.
fn refused(project: &Path, msg: &str) {
    bemanna()
        .arg("roster")
        .arg(project)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(msg));
}

/// Writes a variant of the mini project with one JSON edit.
fn variant(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut v: serde_json::Value = serde_json::from_str(&mini()).unwrap();
    edit(&mut v);
    let p = dir.join("project.json");
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p
}

#[test]
fn roster_prints_grid_and_summary_and_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.csv");
    bemanna()
        .args([
            "--lang",
            "en",
            "roster",
            "fixtures/cases/mini.json",
            "--time-limit",
            "10",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("week 10"))
        .stdout(predicate::str::contains("Kari Nordmann"))
        .stdout(predicate::str::contains("violations: 0"));
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("staff_id,date,shift_code,unit_id"));
    let rows: Vec<&str> = lines.collect();
    // 7 day shifts and 7 evening shifts, one row each.
    assert_eq!(rows.len(), 14, "{csv}");
    assert!(rows
        .iter()
        .all(|r| r.split(',').count() == 4 && r.contains(",2025-03-")));
    // The quarantined nurse is not rostered on 05.03 and 06.03.
    assert!(!rows
        .iter()
        .any(|r| r.starts_with("2,2025-03-05") || r.starts_with("2,2025-03-06")));
    // What was written checks clean.
    bemanna()
        .args(["check", "fixtures/cases/mini.json"])
        .arg(&out)
        .assert()
        .success();
}

#[test]
fn check_finds_a_broken_rest_rule_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("bad.csv");
    std::fs::write(
        &r,
        "staff_id,date,shift_code,unit_id\n3,2025-03-03,A,A\n3,2025-03-04,D,A\n",
    )
    .unwrap();
    bemanna()
        .args(["check", "fixtures/cases/mini.json"])
        .arg(&r)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Per Olsen: bare 9:30 hvile mellom A 03.03",
        ))
        .stdout(predicate::str::contains("AML § 10-8 (1)"));
}

#[test]
fn roster_file_with_unknown_shift_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("bad.csv");
    std::fs::write(&r, "staff_id,date,shift_code,unit_id\n3,2025-03-03,X,A\n").unwrap();
    bemanna()
        .args(["check", "fixtures/cases/mini.json"])
        .arg(&r)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.csv: line 2, column shift: unknown shift code `X`",
        ));
}

#[test]
fn malformed_json_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("broken.json");
    std::fs::write(&p, "{\n  \"formatVersion\": 1,\n  \"name\": \"x\",,\n}").unwrap();
    refused(&p, "broken.json");
    refused(&p, "line 3");
}

#[test]
fn unknown_shift_code_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = variant(dir.path(), |v| v["demand"][1]["shift"] = "K".into());
    refused(&p, "demand[1].shift: unknown shift code `K`");
}

#[test]
fn negative_hours_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = variant(dir.path(), |v| {
        v["shiftTypes"][0]["paidMinutes"] = (-60).into()
    });
    refused(&p, "shiftTypes[0].paidMinutes");
    let p = variant(dir.path(), |v| {
        v["staff"][2]["stillingsprosent"] = (-50).into()
    });
    refused(
        &p,
        "staff[2].stillingsprosent: must be between 0 and 100, is -50",
    );
}

#[test]
fn date_outside_horizon_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = variant(dir.path(), |v| {
        v["requests"][0]["date"] = "2025-04-01".into()
    });
    refused(
        &p,
        "requests[0].date: 01.04.2025 is outside the horizon 03.03.2025 – 09.03.2025",
    );
}

#[test]
fn newer_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = variant(dir.path(), |v| v["formatVersion"] = 7.into());
    refused(&p, "formatVersion: the file is format version 7");
}

#[test]
fn shortage_is_explained_and_exits_1() {
    // Both nurses unavailable on Wednesday: one in quarantine, one on vacation.
    let dir = tempfile::tempdir().unwrap();
    let p = variant(dir.path(), |v| {
        v["absences"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"staff": "1", "kind": "ferie", "from": "2025-03-05", "to": "2025-03-05"}));
    });
    bemanna()
        .arg("roster")
        .arg(&p)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Dag ons 05.03.2025 Avd A: mangler 1 sykepleier",
        ))
        .stdout(predicate::str::contains(
            "Kari Nordmann er ferie 05.03–05.03",
        ))
        .stdout(predicate::str::contains(
            "Ola Hansen er i karantene 05.03–06.03",
        ));
}

#[test]
fn curtois_instance_1_reaches_its_optimum() {
    let dir = tempfile::tempdir().unwrap();
    bemanna()
        .args([
            "bench",
            "curtois",
            "../shared/benchmarks/curtois",
            "--instances",
            "1",
            "--time-limit",
            "30",
            "--solutions",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"Instance1\s+14\s+8\s+1\s+607\s").unwrap())
        .stdout(predicate::str::contains("ok"));
    let csv = std::fs::read_to_string(dir.path().join("Instance1.csv")).unwrap();
    assert!(csv.starts_with("staff_id,day,shift_id\n"));
    assert!(csv.lines().skip(1).all(|l| l.split(',').count() == 3));
}

#[test]
fn weeks_cuts_the_horizon_and_json_output_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    bemanna()
        .args([
            "roster",
            "fixtures/demo-home.json",
            "--weeks",
            "1",
            "--time-limit",
            "15",
            "--out",
        ])
        .arg(&out)
        .assert()
        .stdout(predicate::str::contains(
            "02.03.2026 – 08.03.2026 (7 dager, 65 ansatte)",
        ));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let rows = r["assignments"].as_array().unwrap();
    assert!(rows.len() > 7 * 20, "{} shifts in a week", rows.len());
    assert!(rows
        .iter()
        .all(|a| a["date"].as_str().unwrap() <= "2026-03-08"));
    // A JSON roster is read back like a CSV one; a one-week roster breaks no personal rule
    // of the one-week project (hours are prorated to the week).
    let dir2 = tempfile::tempdir().unwrap();
    let week = dir2.path().join("week.json");
    let mut p: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/demo-home.json")).unwrap(),
    )
    .unwrap();
    p["days"] = 7.into();
    p["absences"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a["from"].as_str().unwrap() <= "2026-03-08");
    p["requests"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a["date"].as_str().unwrap() <= "2026-03-08");
    std::fs::write(&week, serde_json::to_string(&p).unwrap()).unwrap();
    let assert = bemanna()
        .args(["--lang", "en", "check"])
        .arg(&week)
        .arg(&out)
        .assert();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        text.lines()
            .filter(|l| l.contains("• ["))
            .all(|l| l.contains("[Minimum staffing]") || l.contains("[Nurse cover]")),
        "{text}"
    );
}

#[test]
fn bad_time_limit_and_instance_list_are_refused() {
    bemanna()
        .args(["roster", "fixtures/cases/mini.json", "--time-limit=-3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--time-limit"));
    bemanna()
        .args([
            "bench",
            "curtois",
            "../shared/benchmarks/curtois",
            "--instances",
            "3-1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--instances"));
}
