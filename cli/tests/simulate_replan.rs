//! `bemanna simulate` and `bemanna replan`: summaries, written results, change lists, and
//! clear refusals of bad scenario and absence files.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{bemanna, root};

fn severe() -> serde_json::Value {
    let text =
        std::fs::read_to_string(root().join("fixtures/scenarios/wave-severe-2020.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn simulate(scenario: &Path) -> Command {
    let mut c = bemanna();
    c.args(["simulate", "fixtures/demo-home.json"])
        .arg(scenario)
        .args(["--roster", "fixtures/demo-roster-8w.csv", "--quiet"]);
    c
}

#[test]
fn simulate_prints_weeks_probabilities_and_costs_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res.json");
    simulate(&root().join("fixtures/scenarios/wave-severe-2020.json"))
        .args(["--runs", "64", "--seed", "3", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("uke 10"))
        .stdout(predicate::str::contains("Minst én vakt uten sykepleier"))
        .stdout(predicate::str::contains("Forventet merkostnad"))
        .stdout(predicate::str::contains("Verste dager"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["runs"], 64);
    assert_eq!(v["days"].as_array().unwrap().len(), 56);
    assert_eq!(v["metrics"][7], "uncovered");
    let p10 = v["days"][30][3]["p10"].as_i64().unwrap();
    let p90 = v["days"][30][3]["p90"].as_i64().unwrap();
    assert!(
        p10 <= p90 && p90 > 0,
        "absent staff on day 30: {p10}..{p90}"
    );
}

#[test]
fn impossible_scenario_parameters_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 3] = [
        (
            "probability",
            |v| v["transmission"]["sameShift"] = 1.5.into(),
            "transmission.sameShift",
        ),
        (
            "negative",
            |v| v["policy"]["days"] = (-3).into(),
            "policy.days",
        ),
        (
            "unit",
            |v| {
                v["patients"]["initial"] = serde_json::json!({"XX": 1});
            },
            "XX",
        ),
    ];
    for (name, edit, field) in cases {
        let mut v = severe();
        edit(&mut v);
        let p = dir.path().join(format!("{name}.json"));
        std::fs::write(&p, v.to_string()).unwrap();
        simulate(&p)
            .args(["--runs", "5"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(field));
    }
}

#[test]
fn a_scenario_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = severe();
    v["formatVersion"] = 99.into();
    let p = dir.path().join("new.json");
    std::fs::write(&p, v.to_string()).unwrap();
    simulate(&p)
        .args(["--runs", "5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("formatVersion"));
}

#[test]
fn replan_lists_changes_and_writes_a_lawful_roster() {
    let dir = tempfile::tempdir().unwrap();
    let roster = root().join("fixtures/demo-roster-4w.csv");
    let abs = dir.path().join("abs.csv");
    std::fs::write(
        &abs,
        "staff_id,kind,from,to\n1001,karantene,16.03.2026,25.03.2026\n1002,isolasjon,16.03.2026,25.03.2026\n1020,karantene,17.03.2026,22.03.2026\n",
    )
    .unwrap();
    let out = dir.path().join("repaired.csv");
    let assert = bemanna()
        .args(["replan", "fixtures/demo-home.json"])
        .arg(&roster)
        .arg("--absences")
        .arg(&abs)
        .args(["--from", "16.03.2026", "--out"])
        .arg(&out)
        .assert();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Endringer fra 16.03.2026"), "{stdout}");
    assert!(stdout.contains("i karantene"), "{stdout}");
    assert!(stdout.contains("→"), "{stdout}");
    assert!(!stdout.contains("Regelbrudd"), "{stdout}");
    assert!(out.exists());
}

#[test]
fn bad_absence_lines_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let abs = dir.path().join("abs.csv");
    std::fs::write(
        &abs,
        "staff_id,kind,from,to\n1001,ferie,16.03.2026,20.03.2026\n1002,pest,16.03.2026,25.03.2026\n1003,karantene,32.03.2026,25.03.2026\n",
    )
    .unwrap();
    bemanna()
        .args([
            "replan",
            "fixtures/demo-home.json",
            "fixtures/demo-roster-8w.csv",
            "--from",
            "16.03.2026",
            "--absences",
        ])
        .arg(&abs)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3, column kind"))
        .stderr(predicate::str::contains("line 4, column from"));
}
