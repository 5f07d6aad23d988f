//! Project JSON → database → project JSON is identical: the demo home and random projects.

use bemanna_solver::formats::{project_from_json, project_to_json};
use bemanna_solver::model::{Instance, Project};
use bemanna_solver::rng::Rng;
use bemanna_solver::roster::Roster;
use bemanna_store::{RosterMeta, Seed, Store, DEMO_HOME_JSON};
use proptest::prelude::*;
use serde_json::{json, Value};

fn demo() -> Project {
    project_from_json(DEMO_HOME_JSON, "demo-home.json").unwrap()
}

#[test]
fn demo_home_round_trips_exactly() {
    let mut store = Store::open_in_memory(Seed::Empty).unwrap();
    let p = demo();
    let id = store.insert_project(&p).unwrap();
    let back = store.load_project(id).unwrap();
    assert_eq!(back, p);
    assert_eq!(project_to_json(&back), project_to_json(&p));
    // And the text of the fixture itself survives (up to formatting).
    let a: Value = serde_json::from_str(&project_to_json(&back)).unwrap();
    let b: Value = serde_json::from_str(&project_to_json(&demo())).unwrap();
    assert_eq!(a, b);
}

#[test]
fn fresh_file_is_seeded_with_the_demo_home() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
    let list = store.projects().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, demo().name);
    assert_eq!(list[0].staff, 65);
    assert_eq!(store.opened().seeded, Some(list[0].id));
    assert_eq!(store.load_project(list[0].id).unwrap(), demo());
    drop(store);
    // Opening again does not seed twice.
    let store = Store::open(&dir.path().join("b.sqlite")).unwrap();
    assert_eq!(store.projects().unwrap().len(), 1);
    assert_eq!(store.opened().seeded, None);
}

#[test]
fn tables_hold_the_lists() {
    // The lists are real rows, not one JSON blob: count them with SQL.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.sqlite");
    drop(Store::open(&path).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    let count = |t: &str| -> i64 {
        c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    let p = demo();
    assert_eq!(count("unit"), p.units.len() as i64);
    assert_eq!(count("cohort"), 6);
    assert_eq!(count("skill"), p.skills.len() as i64);
    assert_eq!(count("shift_type"), 3);
    assert_eq!(count("staff"), 65);
    assert_eq!(
        count("staff_skill"),
        p.staff.iter().map(|s| s.skills.len()).sum::<usize>() as i64
    );
    assert_eq!(count("demand"), p.demand.len() as i64);
    assert_eq!(count("nurse_cover"), p.nurse_cover.len() as i64);
    assert_eq!(count("absence"), p.absences.len() as i64);
    assert_eq!(count("request"), p.requests.len() as i64);
    // Settings the schema has no columns for (added to the model later) sit in `extra`.
    let agency: String = c
        .query_row(
            "SELECT json_extract(extra, '$.reserves.agency[0].skill') FROM project",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(agency, p.reserves.agency[0].skill);
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn update_replaces_content_and_keeps_rosters() {
    let mut store = Store::open_in_memory(Seed::Empty).unwrap();
    let mut p = demo();
    let id = store.insert_project(&p).unwrap();
    let r = store
        .save_roster(
            id,
            &bemanna_store::sample::sample_roster(&p, 1),
            &RosterMeta::new("Kari", "første"),
        )
        .unwrap();
    // Someone leaves: their requests and absences go with them.
    let gone = p.staff.remove(0).id;
    p.requests.retain(|q| q.staff != gone);
    p.absences.retain(|a| a.staff != gone);
    p.name = "Nytt navn".into();
    store.update_project(id, &p).unwrap();
    assert_eq!(store.load_project(id).unwrap(), p);
    // The saved roster still names them: rosters are documents.
    let (_, roster) = store.load_roster(r.id).unwrap();
    assert!(roster.assignments.iter().any(|a| a.staff == gone));
}

#[test]
fn invalid_project_is_refused_and_nothing_written() {
    let mut store = Store::open_in_memory(Seed::Empty).unwrap();
    let mut p = demo();
    p.staff[3].unit = "NOPE".into();
    let e = store.insert_project(&p).unwrap_err();
    assert!(e.to_string().contains("staff[3].unit"), "{e}");
    assert!(store.projects().unwrap().is_empty());
}

#[test]
fn deleting_a_project_cascades() {
    let mut store = Store::open_in_memory(Seed::DemoHome).unwrap();
    let id = store.projects().unwrap()[0].id;
    let r = store
        .save_roster(id, &Roster::default(), &RosterMeta::new("x", "y"))
        .unwrap();
    store.delete_project(id).unwrap();
    assert!(store.load_project(id).is_err());
    // Only with foreign keys on does the delete reach the rosters (ON DELETE CASCADE).
    assert!(store.load_roster(r.id).is_err());
    assert!(store.projects().unwrap().is_empty());
}

// ---- random projects --------------------------------------------------------------------

fn pick<'a>(rng: &mut Rng, v: &'a [String]) -> &'a String {
    &v[rng.below(v.len())]
}

fn text(rng: &mut Rng, base: &str) -> String {
    const ODD: [&str; 8] = ["", "Ø", "\"q\"", "a,b;c", "æøå ÆØÅ", "🙂", "\\n", "  "];
    format!("{base}{}", ODD[rng.below(ODD.len())])
}

fn maybe(rng: &mut Rng) -> bool {
    rng.below(2) == 0
}

/// A valid random project, built as JSON so it stays valid as the model gains fields with
/// defaults. Every optional field is sometimes absent, sometimes set.
fn random_project(seed: u64) -> Project {
    let mut rng = Rng::new(seed);
    let days = 1 + rng.below(42) as i64;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
        + chrono::Duration::days(rng.below(365) as i64);
    let date = |rng: &mut Rng| {
        (start + chrono::Duration::days(rng.below(days as usize) as i64)).to_string()
    };
    let n_units = 1 + rng.below(3);
    let unit_ids: Vec<String> = (0..n_units).map(|i| format!("U{i}")).collect();
    let units: Vec<Value> = unit_ids
        .iter()
        .map(|id| {
            let cohorts: Vec<Value> = (0..rng.below(3))
                .map(|c| json!({"id": format!("c{c}"), "name": text(&mut rng, "Kohort")}))
                .collect();
            json!({"id": id, "name": text(&mut rng, "Avd "), "beds": rng.below(40), "cohorts": cohorts})
        })
        .collect();
    let n_sk = 1 + rng.below(4);
    let skill_ids: Vec<String> = (0..n_sk).map(|i| format!("S{i}")).collect();
    let skills: Vec<Value> = (0..n_sk)
        .map(|i| {
            // Covers any other skill, also one listed later.
            let covers: Vec<&String> = skill_ids
                .iter()
                .filter(|_| rng.below(3) == 0)
                .filter(|s| **s != skill_ids[i])
                .collect();
            json!({"id": skill_ids[i], "name": text(&mut rng, "Skill"), "covers": covers})
        })
        .collect();
    let n_sh = 1 + rng.below(4);
    let shift_ids: Vec<String> = (0..n_sh).map(|i| format!("V{i}")).collect();
    let shifts: Vec<Value> = shift_ids
        .iter()
        .map(|c| {
            let s = rng.below(24 * 4) * 15;
            let len = 240 + rng.below(8 * 4) * 15;
            let e = (s + len) % (24 * 60);
            let mut o = json!({
                "code": c, "name": text(&mut rng, "Vakt"),
                "start": format!("{:02}:{:02}", s / 60, s % 60),
                "end": format!("{:02}:{:02}", e / 60, e % 60),
                "paidMinutes": len - rng.below(31)
            });
            if maybe(&mut rng) {
                o["night"] = json!(maybe(&mut rng));
            }
            o
        })
        .collect();
    let n_st = 1 + rng.below(25);
    let staff_ids: Vec<String> = (0..n_st).map(|i| format!("{}", 1000 + i * 7)).collect();
    let staff: Vec<Value> = staff_ids
        .iter()
        .map(|id| {
            let mut sk: Vec<&String> = skill_ids.iter().filter(|_| rng.below(2) == 0).collect();
            if sk.is_empty() {
                sk.push(pick(&mut rng, &skill_ids));
            }
            let mut o = json!({
                "id": id, "name": text(&mut rng, "Navn "), "skills": sk,
                "unit": pick(&mut rng, &unit_ids),
                "stillingsprosent": (rng.unit() * 100.0 * 8.0).round() / 8.0 + if maybe(&mut rng) { 0.1 } else { 0.0 },
                "maxExtraShifts": rng.below(5),
                "hourlyWage": 250.0 + rng.unit() * 200.0,
            });
            if o["stillingsprosent"].as_f64().unwrap() > 100.0 {
                o["stillingsprosent"] = json!(100.0);
            }
            if maybe(&mut rng) {
                let fl: Vec<&String> = unit_ids.iter().filter(|_| maybe(&mut rng)).collect();
                o["floatUnits"] = json!(fl);
            }
            if maybe(&mut rng) {
                o["rules"] = json!({"maxConsecutiveDays": 1 + rng.below(6), "maxShifts": {shift_ids[0].clone(): rng.below(9)}});
            }
            o
        })
        .collect();
    let demand: Vec<Value> = (0..rng.below(12))
        .map(|_| {
            let min = rng.below(3);
            let mut o = json!({
                "unit": pick(&mut rng, &unit_ids), "shift": pick(&mut rng, &shift_ids),
                "skill": pick(&mut rng, &skill_ids), "min": min
            });
            if maybe(&mut rng) {
                o["wanted"] = json!(min + rng.below(3));
            }
            if maybe(&mut rng) {
                o["weekdays"] = json!(["Mon", "Sat"]);
            }
            if maybe(&mut rng) {
                o["dates"] = json!([date(&mut rng), date(&mut rng)]);
            }
            if maybe(&mut rng) {
                o["underWeight"] = json!(rng.unit() * 50.0);
            }
            if maybe(&mut rng) {
                o["overWeight"] = json!(0.1 + 0.2);
            }
            o
        })
        .collect();
    let cover: Vec<Value> = (0..rng.below(3))
        .map(|_| {
            let mut o = json!({"skills": [pick(&mut rng, &skill_ids)], "scope": if maybe(&mut rng) {"unit"} else {"home"}, "minPerShift": rng.below(2)});
            if maybe(&mut rng) { o["patientsPerNurse"] = json!(1 + rng.below(20)); }
            if maybe(&mut rng) { o["shifts"] = json!([pick(&mut rng, &shift_ids)]); }
            if maybe(&mut rng) { o["units"] = json!([pick(&mut rng, &unit_ids)]); }
            o
        })
        .collect();
    let kinds = ["ferie", "sykdom", "karantene", "isolasjon", "fri"];
    let absences: Vec<Value> = (0..rng.below(6))
        .map(|_| {
            let a = date(&mut rng);
            let b = date(&mut rng);
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            json!({"staff": pick(&mut rng, &staff_ids), "kind": kinds[rng.below(5)], "from": from, "to": to})
        })
        .collect();
    let requests: Vec<Value> = (0..rng.below(8))
        .map(|_| {
            let mut o = json!({"staff": pick(&mut rng, &staff_ids), "date": date(&mut rng),
                               "kind": if maybe(&mut rng) {"on"} else {"off"}, "weight": 1 + rng.below(3)});
            if maybe(&mut rng) { o["shift"] = json!(pick(&mut rng, &shift_ids)); }
            o
        })
        .collect();
    let mut p = json!({
        "formatVersion": 1, "name": text(&mut rng, "Heim "), "start": start.to_string(), "days": days,
        "units": units, "skills": skills, "shiftTypes": shifts, "staff": staff,
        "demand": demand, "nurseCover": cover, "absences": absences, "requests": requests,
    });
    if maybe(&mut rng) {
        p["rules"] = json!({"dailyRestMinutes": null, "maxConsecutiveDays": 2 + rng.below(5),
                            "forbiddenSuccessions": [[shift_ids[0].clone(), shift_ids[n_sh - 1].clone()]]});
    }
    if maybe(&mut rng) {
        p["weights"] = json!({"request": rng.unit() * 100.0, "costPerNok": 1e-7});
    }
    // Settings added to the model after the schema (they live in the project row's JSON).
    if maybe(&mut rng) {
        p["reserves"] = json!({
            "agency": [{"skill": pick(&mut rng, &skill_ids), "pricePerShift": rng.unit() * 9000.0,
                        "leadDays": rng.below(4), "maxPerShift": 1 + rng.below(3)}],
            "pool": [pick(&mut rng, &staff_ids)],
            "changePenaltyNok": 0.1 + 0.7,
        });
    }
    if maybe(&mut rng) {
        p["cohorting"] = json!({"separationDays": rng.below(5),
                                "patientsPerStaff": {shift_ids[0].clone(): 1.0 + rng.unit() * 7.0}});
    }
    let project: Project = serde_json::from_value(p).expect("generated project parses");
    if let Err(e) = Instance::new(project.clone()) {
        panic!("generated project {seed} is not valid: {e:?}");
    }
    project
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_projects_round_trip(seed in any::<u64>()) {
        let mut store = Store::open_in_memory(Seed::Empty).unwrap();
        let p = random_project(seed);
        let id = store.insert_project(&p).unwrap();
        let back = store.load_project(id).unwrap();
        prop_assert_eq!(project_to_json(&back), project_to_json(&p));
        prop_assert_eq!(&back, &p);
        // An update with another random project, in place.
        let q = random_project(seed ^ 0x5eed);
        store.update_project(id, &q).unwrap();
        prop_assert_eq!(store.load_project(id).unwrap(), q);
    }
}
