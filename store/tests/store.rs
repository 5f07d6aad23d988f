//! Roster versions, opening old and new files, scenarios, study runs, ROS, exports.

use bemanna_solver::formats;
use bemanna_solver::roster::{Assignment, Roster};
use bemanna_store::export::{roster_csv, roster_xlsx, XLSX_HEADER_ROWS, XLSX_LEFT_COLUMNS};
use bemanna_store::sample::{sample_roster, scaled_demo_home};
use bemanna_store::{Error, Hazard, Measure, NewStudyRun, RosterMeta, Seed, Store, SCHEMA_VERSION};
use calamine::{Data, DataType, Reader};
use chrono::NaiveDate;
use serde_json::json;

fn demo() -> (Store, i64) {
    let s = Store::open_in_memory(Seed::DemoHome).unwrap();
    let id = s.projects().unwrap()[0].id;
    (s, id)
}

#[test]
fn roster_versions_with_who_when_why_and_one_in_use() {
    let (mut s, id) = demo();
    let p = s.load_project(id).unwrap();
    let r1 = sample_roster(&p, 1);
    let r2 = sample_roster(&p, 2);
    let a = s
        .save_roster(id, &r1, &RosterMeta::new("Kari", "planlagt"))
        .unwrap();
    let mut meta = RosterMeta::new("Ola", "bytte Per/Ida");
    meta.in_use = true;
    let b = s.save_roster(id, &r2, &meta).unwrap();
    assert_eq!((a.version, b.version), (1, 2));
    assert_eq!(s.roster_in_use(id).unwrap().unwrap().id, b.id);
    let (info, back) = s.load_roster(a.id).unwrap();
    assert_eq!(back, r1);
    assert_eq!(
        (info.saved_by.as_str(), info.reason.as_str(), info.in_use),
        ("Kari", "planlagt", false)
    );
    assert!(
        info.saved_at.ends_with('Z') && info.saved_at.starts_with("20"),
        "{}",
        info.saved_at
    );
    assert_eq!(s.load_roster(b.id).unwrap().1, r2);
    // Switching "i bruk" leaves exactly one marked.
    s.set_roster_in_use(a.id).unwrap();
    let list = s.rosters(id).unwrap();
    assert_eq!(list.iter().filter(|r| r.in_use).count(), 1);
    assert_eq!(s.current_roster(id).unwrap().unwrap().id, a.id);
    assert!(s.torn_rosters().unwrap().is_empty());
    // Saving into a project that does not exist writes nothing.
    assert!(matches!(
        s.save_roster(999, &r1, &RosterMeta::new("x", "y")),
        Err(Error::NotFound(_))
    ));
    assert_eq!(s.rosters(id).unwrap().len(), 2);
}

#[test]
fn old_file_is_migrated_after_a_backup_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hjem.sqlite");
    let mut s = Store::open(&path).unwrap();
    let id = s.projects().unwrap()[0].id;
    let p = s.load_project(id).unwrap();
    let r = s
        .save_roster(
            id,
            &sample_roster(&p, 3),
            &RosterMeta::new("Kari", "før oppgradering"),
        )
        .unwrap();
    drop(s);
    // Make it a schema version 1 file, as the first release wrote it.
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "ALTER TABLE assignment DROP COLUMN cohort_id; DROP TABLE ros_workshop;
             DROP TABLE ros_measure; DROP TABLE ros_hazard; DROP TABLE study_metric;
             DROP TABLE study_run; DROP TABLE scenario; PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.opened().from_version, 1);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(s.load_project(id).unwrap(), p);
    assert_eq!(s.load_roster(r.id).unwrap().0.reason, "før oppgradering");
    let backup = s.opened().backup.clone().expect("backup taken");
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .contains(".v1-backup-"));
    let b = Store::open_with(&backup, Seed::Empty);
    // The backup is the version 1 file; opening it would migrate it too, so read it raw.
    drop(b);
    let c = rusqlite::Connection::open(&backup).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM roster", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn newer_file_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ny.sqlite");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let e = Store::open(&path).err().expect("refused");
    let m = e.to_string();
    assert!(
        m.contains("newer Bemanna") && m.contains("99") && m.contains("Update Bemanna"),
        "{m}"
    );
}

#[test]
fn several_openers_of_a_new_file_seed_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("delt.sqlite");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = path.clone();
            std::thread::spawn(move || Store::open(&p).map(|s| s.opened().seeded.is_some()))
        })
        .collect();
    let seeded = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .filter(|&b| b)
        .count();
    assert_eq!(seeded, 1);
    let s = Store::open(&path).unwrap();
    assert_eq!(s.projects().unwrap().len(), 1);
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn missing_or_foreign_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let e = Store::open_existing(&dir.path().join("nope.sqlite"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("bemanna db init"), "{e}");
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(
        &junk,
        "this is not a database, just text that is long enough to have a header",
    )
    .unwrap();
    assert!(Store::open(&junk).is_err());
}

#[test]
fn foreign_keys_are_enforced() {
    let (mut s, id) = demo();
    let mut p = s.load_project(id).unwrap();
    // The solver refuses it first; the database would too, but nothing gets that far.
    p.requests[0].staff = "ukjent".into();
    assert!(matches!(
        s.update_project(id, &p),
        Err(Error::InvalidProject(_))
    ));
}

#[test]
fn scenarios_study_runs_and_metrics() {
    let (mut s, id) = demo();
    let def = json!({"wave": {"peak": 0.03, "days": 21}, "policy": "karantene-7"});
    let sc = s.save_scenario(id, "Bølge mars", &def).unwrap();
    let def2 = json!({"wave": {"peak": 0.05}});
    assert_eq!(
        s.save_scenario(id, "Bølge mars", &def2).unwrap(),
        sc,
        "same name replaces"
    );
    let (info, back): (_, serde_json::Value) = s.load_scenario(sc).unwrap();
    assert_eq!((info.name.as_str(), back), ("Bølge mars", def2));
    assert_eq!(s.scenarios(id).unwrap().len(), 1);

    let agg = json!({"p50": [1, 2, 3], "pUncovered": 0.12});
    let metrics = vec![
        (0u32, json!({"uncovered": 3})),
        (1, json!({"uncovered": 0})),
    ];
    let run = NewStudyRun {
        project_id: id,
        scenario_id: Some(sc),
        roster_id: None,
        label: "1000 scenarier",
        seed: u64::MAX - 5,
        runs: 1000,
        shard: Some("1/4"),
        started_at: "2026-03-01T10:00:00Z",
        aggregates: &agg,
        per_scenario: Some(&metrics),
    };
    let rid = s.save_study_run(&run).unwrap();
    let got = s.load_study_run(rid).unwrap();
    assert_eq!(
        (got.seed, got.runs, got.shard.as_deref()),
        (u64::MAX - 5, 1000, Some("1/4"))
    );
    assert_eq!(got.aggregates, agg);
    let m: Vec<(u32, serde_json::Value)> = s.study_metrics(rid).unwrap();
    assert_eq!(m, metrics);
    // Deleting the scenario keeps the results.
    s.delete_scenario(sc).unwrap();
    assert_eq!(s.load_study_run(rid).unwrap().scenario_id, None);
}

#[test]
fn ros_hazards_and_measures() {
    let (mut s, id) = demo();
    let hz = vec![Hazard {
        title: "Mange sykmeldte sykepleiere".into(),
        description: "Under forsvarlig fagdekning på natt".into(),
        category: Some("liv og helse".into()),
        likelihood: Some(3),
        consequence: Some(4),
        measures: vec![Measure {
            title: "Vikarpool".into(),
            likelihood_after: Some(2),
            consequence_after: Some(3),
            data: json!({"cost": 120000}),
            ..Measure::default()
        }],
        ..Hazard::default()
    }];
    let saved = s.save_hazards(id, &hz).unwrap();
    assert!(saved[0].id.is_some() && saved[0].measures[0].id.is_some());
    assert_eq!(s.hazards(id).unwrap(), saved);
    // A cell outside the 5 × 5 matrix is refused, and the old list stays.
    let mut bad = hz.clone();
    bad[0].likelihood = Some(6);
    assert!(s.save_hazards(id, &bad).is_err());
    assert_eq!(s.hazards(id).unwrap(), saved);
}

#[test]
fn roster_csv_is_the_cli_format() {
    let (s, id) = demo();
    let p = s.load_project(id).unwrap();
    let r = sample_roster(&p, 4);
    let csv = roster_csv(&r);
    assert!(csv.starts_with("staff_id,date,shift_code,unit_id\n"));
    let (back, _) = formats::roster_from_csv(&csv, "r.csv").unwrap();
    assert_eq!(back, r);
}

#[test]
fn roster_xlsx_has_the_leaders_layout() {
    let (s, id) = demo();
    let p = s.load_project(id).unwrap(); // starts Monday 2 March 2026 (ISO week 10), 28 days
    let d = |day: u32| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    let a = |staff: &str, date, shift: &str, unit: &str| Assignment {
        staff: staff.into(),
        date,
        shift: shift.into(),
        unit: unit.into(),
        cohort: None,
    };
    let r = Roster {
        assignments: vec![
            a("1001", d(2), "D", "LT"),
            a("1001", d(3), "A", "LT"),
            a("1001", d(9), "N", "KT"),
        ],
    };
    let bytes = roster_xlsx(&p, &r, "Solbakken – turnus").unwrap();
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Turnus"]);
    let ws = wb.worksheet_range("Turnus").unwrap();
    let at = |r: u32, c: u32| ws.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let txt = |r, c| at(r, c).to_string();
    let c0 = u32::from(XLSX_LEFT_COLUMNS);
    let r0 = XLSX_HEADER_ROWS;
    assert_eq!(txt(0, 0), "Solbakken – turnus");
    assert_eq!(txt(1, c0), "uke 10");
    assert_eq!(txt(1, c0 + 7), "uke 11");
    assert_eq!(txt(2, c0), "man");
    assert_eq!(txt(2, c0 + 6), "søn");
    // Real dates (Excel serial days since 30.12.1899), shown as dd.mm.yyyy.
    let serial =
        |date: NaiveDate| (date - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
    let date_at = |r, c| match at(r, c) {
        Data::DateTime(x) => Some(x.as_f64()),
        _ => None,
    };
    assert_eq!(date_at(3, c0), Some(serial(d(2))));
    assert_eq!(date_at(3, c0 + 27), Some(serial(d(29))));
    assert_eq!(txt(3, 1), "Navn");
    // One row per person, in the project's order.
    assert_eq!(txt(r0, 0), "1001");
    assert_eq!(txt(r0, 1), p.staff[0].name);
    assert_eq!(txt(r0 + 64, 0), p.staff[64].id);
    assert_eq!(txt(r0, c0), "D");
    assert_eq!(txt(r0, c0 + 1), "A");
    assert_eq!(
        txt(r0, c0 + 7),
        "N KT",
        "the unit shows when outside the home unit"
    );
    assert_eq!(txt(r0, c0 + 2), "");
    // Weekly hours: week 10 = D + A = 7.5 h + 7.5 h, week 11 = N = 10 h, then weeks 12, 13, total.
    let t = c0 + 28;
    assert_eq!(
        (txt(1, t), txt(2, t)),
        ("uke 10".to_string(), "timer".to_string())
    );
    let num = |r, c| at(r, c).get_float().unwrap();
    assert_eq!(num(r0, t), 15.0);
    assert_eq!(num(r0, t + 1), 10.0);
    assert_eq!(num(r0, t + 2), 0.0);
    assert_eq!(num(r0, t + 4), 25.0);
    assert_eq!(txt(1, t + 4), "Totalt");
    // Absences show in the grid: the demo home's first absence.
    let ab = &p.absences[0];
    let e = p.staff.iter().position(|s| s.id == ab.staff).unwrap() as u32;
    let col = c0 + (ab.from - p.start).num_days().max(0) as u32;
    assert!(
        !txt(r0 + e, col).is_empty(),
        "absence of {} on {}",
        ab.staff,
        ab.from
    );
}

#[test]
fn scaled_demo_home_is_valid() {
    let p = scaled_demo_home(200);
    assert_eq!(p.staff.len(), 200);
    bemanna_solver::model::Instance::new(p).unwrap();
}

fn fixture(rel: &str) -> String {
    let p = format!("{}/../fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A ROS workshop is saved whole or not at all; its assessment survives a save that only
/// re-grades, and reads back bit for bit.
#[test]
fn ros_workshop_and_assessment_round_trip_and_bad_saves_change_nothing() {
    use bemanna_solver::model::Instance;
    use bemanna_solver::ros;
    use bemanna_solver::waves::scenario_from_json;
    let (mut s, id) = demo();
    assert!(s.workshop(id).unwrap().is_none());
    let ws = ros::workshop_from_json(&fixture("ros-demo-home.json"), "ros.json").unwrap();
    s.save_workshop(id, &ws, None).unwrap();
    let got = s.workshop(id).unwrap().unwrap();
    assert_eq!(got.workshop, ws);
    assert!(got.assessment.is_none());

    // An override without a reason is refused and the saved workshop stays.
    let mut bad = ws.clone();
    bad.hazards[0].override_cell = Some(ros::Override {
        likelihood: 5,
        consequence: 5,
        reason: " ".into(),
    });
    match s.save_workshop(id, &bad, None) {
        Err(Error::InvalidWorkshop(f)) => {
            assert!(
                f.iter().any(|e| e.path == "hazards[0].override.reason"),
                "{f:?}"
            )
        }
        other => panic!("expected InvalidWorkshop, got {other:?}"),
    }
    assert_eq!(s.workshop(id).unwrap().unwrap().workshop, ws);
    assert!(matches!(
        s.save_workshop(id + 99, &ws, None),
        Err(Error::NotFound(_))
    ));

    // A real (small) assessment on the demo home's 4-week roster.
    let project = s.load_project(id).unwrap();
    let inst = Instance::new(project.clone()).unwrap();
    let grid = formats::read_roster(&fixture("demo-roster-4w.csv"), "r.csv", &inst).unwrap();
    let scs: Vec<_> = ws
        .scenarios
        .iter()
        .map(|r| {
            let mut sc = scenario_from_json(&fixture(&r.file), &r.file).unwrap();
            sc.days = Some(project.days);
            (r.id.clone(), sc)
        })
        .collect();
    let opts = ros::EvalOptions {
        runs: 4,
        ..Default::default()
    };
    let a = ros::evaluate(
        &ws,
        &project,
        &grid,
        &scs,
        &opts,
        &|_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    s.save_assessment(id, &a).unwrap();
    let got = s.workshop(id).unwrap().unwrap();
    assert_eq!(got.assessment.as_ref(), Some(&a));
    let at = got.assessed_at.clone().unwrap();

    // Re-graded with new acceptance: the new grading replaces the old, the run time stays.
    let mut ws2 = ws.clone();
    ws2.scales.acceptance.yellow_from = 2;
    let mut a2 = a.clone();
    assert!(a2.regrade(&ws2));
    s.save_workshop(id, &ws2, Some(&a2)).unwrap();
    let got = s.workshop(id).unwrap().unwrap();
    assert_eq!(got.workshop, ws2);
    assert_eq!(got.assessment.as_ref(), Some(&a2));
    assert_eq!(got.assessed_at.as_deref(), Some(at.as_str()));
    // A save without re-grading keeps the last assessment as it was.
    let mut ws3 = ws2.clone();
    ws3.hazards[0].event.at_least = Some(3.0);
    s.save_workshop(id, &ws3, None).unwrap();
    let got = s.workshop(id).unwrap().unwrap();
    assert_eq!(got.assessment.as_ref(), Some(&a2));
    assert!(!got.assessment.unwrap().same_evidence(&got.workshop));
}

#[test]
fn cohort_marks_round_trip_through_a_roster_version() {
    let (mut s, id) = demo();
    let p = s.load_project(id).unwrap();
    let mut r = sample_roster(&p, 5);
    let unit = p
        .units
        .iter()
        .find(|u| u.id == r.assignments[0].unit)
        .unwrap();
    r.assignments[0].cohort = Some(unit.cohorts[0].id.clone());
    let info = s
        .save_roster(id, &r, &RosterMeta::new("Kari", "kohortplan"))
        .unwrap();
    let (_, back) = s.load_roster(info.id).unwrap();
    assert_eq!(back, r);
    assert!(roster_csv(&back).starts_with("staff_id,date,shift_code,unit_id,cohort_id\n"));
}
