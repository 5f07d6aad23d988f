//! End to end: plan the demo home with the CLI, read the written roster back, and check
//! every working-time rule with the independent checker.

use std::path::Path;

use assert_cmd::Command;
use bemanna_solver::check::{check, check_rules};
use bemanna_solver::formats;

#[test]
fn demo_home_roster_keeps_every_hard_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo.csv");
    let assert = Command::cargo_bin("bemanna")
        .unwrap()
        .current_dir(root)
        .args([
            "roster",
            "fixtures/demo-home.json",
            "--time-limit",
            "20",
            "--out",
        ])
        .arg(&out)
        .assert();
    let code = assert.get_output().status.code();
    assert!(code == Some(0) || code == Some(1), "exit {code:?}");

    let project = root.join("fixtures/demo-home.json");
    let inst = formats::instance_from_json(
        &std::fs::read_to_string(&project).unwrap(),
        "demo-home.json",
    )
    .unwrap();
    let grid =
        formats::read_roster(&std::fs::read_to_string(&out).unwrap(), "demo.csv", &inst).unwrap();
    let broken = check_rules(&inst, &grid);
    assert!(broken.is_empty(), "{broken:#?}");
    // Every unit is staffed on every day: far more shifts than people, none on absence days.
    let worked = grid
        .cells
        .iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .count();
    assert!(worked > 28 * 20, "only {worked} shifts");
    // Exit status 0 exactly when the checker finds nothing, cover included.
    assert_eq!(code == Some(0), check(&inst, &grid).is_empty());
}
