//! What the construction and the annealer tests share: the homes they run on, and the
//! lawfulness they assert.

use bemanna_solver::check::{check_rules, RuleId};
use bemanna_solver::formats::project_from_json;
use bemanna_solver::model::Instance;
use bemanna_solver::roster::Grid;

/// Every rule but the contract minimum holds, by the checker (which shares no code with
/// the construction or the search).
pub fn assert_lawful(inst: &Instance, g: &Grid) {
    let broken: Vec<_> = check_rules(inst, g)
        .into_iter()
        .filter(|v| v.rule != RuleId::MinMinutes)
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The demo home.
pub fn demo() -> Instance {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/demo-home.json");
    let text = std::fs::read_to_string(path).unwrap();
    Instance::new(project_from_json(&text, path).unwrap()).unwrap()
}

/// A Curtois–Qu instance from `../shared/benchmarks/curtois`.
pub fn curtois(n: u32) -> Instance {
    let path = format!(
        "{}/../../shared/benchmarks/curtois/Instance{n}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let c = bemanna_solver::curtois::parse(&text, &path).unwrap();
    Instance::new(c.to_project(&format!("Instance{n}"))).unwrap()
}
