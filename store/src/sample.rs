//! Sample data of realistic size, for benchmarks and tests: the demo home scaled to any
//! number of staff, and a roster that fills its horizon.

use bemanna_solver::model::Project;
use bemanna_solver::rng::Rng;
use bemanna_solver::roster::{Assignment, Roster};
use chrono::Duration;

use crate::DEMO_HOME_JSON;

/// The demo home with `staff` people: its staff repeated with new ids (and a number in the
/// name) and its demand scaled along, units, shifts, rules and requests as they are.
pub fn scaled_demo_home(staff: usize) -> Project {
    let mut p = bemanna_solver::formats::project_from_json(DEMO_HOME_JSON, "demo-home.json")
        .expect("the embedded demo home parses");
    let base = p.staff.clone();
    let factor = staff.div_ceil(base.len().max(1)) as u32;
    p.staff = (0..staff)
        .map(|i| {
            let mut s = base[i % base.len()].clone();
            if i >= base.len() {
                s.id = format!("{}-{}", s.id, i / base.len());
                s.name = format!("{} {}", s.name, i / base.len() + 1);
            }
            s
        })
        .collect();
    for d in &mut p.demand {
        d.min *= factor;
        d.wanted = d.wanted.map(|w| w * factor);
    }
    p
}

/// A roster over the whole horizon: each person works about as many days as their
/// stillingsprosent says, on a shift of their home unit, drawn with `seed`.
pub fn sample_roster(p: &Project, seed: u64) -> Roster {
    let mut rng = Rng::new(seed);
    let mut assignments = Vec::new();
    for s in &p.staff {
        for d in 0..p.days {
            if rng.unit() * 100.0 < s.stillingsprosent * 5.0 / 7.0 {
                let sh = &p.shift_types[rng.below(p.shift_types.len())];
                assignments.push(Assignment {
                    staff: s.id.clone(),
                    date: p.start + Duration::days(i64::from(d)),
                    shift: sh.code.clone(),
                    unit: s.unit.clone(),
                    cohort: None,
                });
            }
        }
    }
    Roster { assignments }
}
