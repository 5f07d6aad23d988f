//! The greedy first roster on the demo home: lawful, and good enough that the improvement
//! layer starts from a full roster rather than from empty shifts.

use bemanna_solver::check::{check_rules, RuleId};
use bemanna_solver::construct::greedy;
use bemanna_solver::formats::project_from_json;
use bemanna_solver::model::Instance;
use bemanna_solver::plan::{evaluate, Fixing};
use bemanna_solver::roster::Grid;

#[test]
fn greedy_demo_roster_is_lawful_and_covers_minimum_demand() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/demo-home.json");
    let text = std::fs::read_to_string(path).unwrap();
    let inst = Instance::new(project_from_json(&text, path).unwrap()).unwrap();
    let t = std::time::Instant::now();
    let g = greedy(&inst, &Fixing::none(&inst));
    let took = t.elapsed().as_secs_f64();
    let broken: Vec<_> = check_rules(&inst, &g)
        .into_iter()
        .filter(|v| v.rule != RuleId::MinMinutes)
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
    let (obj, b) = evaluate(&inst, &g);
    assert_eq!(b.short_min_heads, 0.0, "{b:?}");
    assert_eq!(b.short_nurse_heads, 0.0, "{b:?}");
    // A few full-time people end an hour or two short: their last shift fits nowhere
    // without moving their others, which the improvement layer does.
    assert!(b.contract_short_minutes < 1000.0, "{b:?}");
    let (empty, _) = evaluate(&inst, &Grid::empty(&inst));
    assert!(
        obj < 0.05 * empty,
        "greedy objective {obj} against {empty} for nobody at work: {b:?}"
    );
    assert!(took < 1.0, "greedy took {took:.3} s");
}
