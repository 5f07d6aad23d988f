//! The ROS report from a small real assessment: every hazard present, user text verbatim
//! (never read as Typst markup), Norwegian letters kept.

use std::sync::atomic::AtomicBool;

use bemanna_solver::formats;
use bemanna_solver::model::Instance;
use bemanna_solver::ros::{self, Assessment, EvalOptions};
use bemanna_solver::waves;

fn fixture(rel: &str) -> String {
    let path = format!("{}/../fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const TRICKY: &str = "Æøå #set text(red) *fet* $x$ <b>ikke html</b> \\ @ref // ikke kommentar";

fn assessment() -> Assessment {
    let p = formats::project_from_json(&fixture("demo-home.json"), "demo-home.json").unwrap();
    let inst = Instance::new(p.clone()).unwrap();
    let grid =
        formats::read_roster(&fixture("demo-roster-4w.csv"), "demo-roster-4w.csv", &inst).unwrap();
    let mut sc = waves::scenario_from_json(
        &fixture("scenarios/wave-severe-2020.json"),
        "wave-severe-2020.json",
    )
    .unwrap();
    sc.days = None;
    let ws_text = format!(
        r#"{{"formatVersion": 1, "title": "Øvelse på Solbakken",
          "participants": [{{"name": "Åse Ødegård", "role": "tillitsvalgt"}}],
          "context": {ctx},
          "scenarios": [{{"id": "s", "file": "s.json"}}],
          "hazards": [
            {{"id": "a", "title": "Vakt uten sykepleier", "scenario": "s",
              "event": {{"metric": "shiftsWithoutNurse", "atLeast": 1}},
              "consequence": {{"metric": "shiftsWithoutNurse"}}}},
            {{"id": "b", "title": {tricky}, "scenario": "s",
              "causes": [{tricky}],
              "event": {{"metric": "uncoveredShifts", "atLeast": 5}},
              "consequence": {{"metric": "uncoveredShifts"}},
              "override": {{"likelihood": 2, "consequence": 3, "reason": "Fordi «erfaring»"}}}}
          ],
          "measures": [{{"id": "m", "name": "Vikarpool", "costNok": 1000,
            "change": {{"kind": "floatPool", "skill": "SPL", "perShift": 1, "pricePerShift": 7000}}}}]
        }}"#,
        ctx = serde_json::to_string(TRICKY).unwrap(),
        tricky = serde_json::to_string(TRICKY).unwrap(),
    );
    let ws = ros::workshop_from_json(&ws_text, "ros.json").unwrap();
    ros::evaluate(
        &ws,
        &p,
        &grid,
        &[("s".into(), sc)],
        &EvalOptions {
            runs: 8,
            ..Default::default()
        },
        &|_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap()
}

#[test]
fn report_has_every_hazard_and_user_text_verbatim() {
    let a = assessment();
    let html = bemanna_report::ros_html(&a).unwrap();
    assert!(html.contains("Vakt uten sykepleier"));
    // The title block and the level colours survive the HTML export.
    assert!(
        html.contains("<h1>Risiko- og sårbarhetsanalyse (ROS)"),
        "no title"
    );
    assert!(
        html.contains("<style>") && html.contains(".lvl-rod{"),
        "no stylesheet"
    );
    assert!(html.contains(r#"class="lvl lvl-"#), "levels carry no class");
    // Typst's HTML escapes < and & in text (> needs no escape); Typst's markup characters
    // arrive as typed.
    let escaped = TRICKY.replace('&', "&amp;").replace('<', "&lt;");
    let at = html
        .find("Æøå #set")
        .map(|i| &html[i..(i + 160).min(html.len())]);
    assert!(
        html.contains(&escaped),
        "user text changed in the HTML: {at:?}"
    );
    assert!(html.contains("Åse Ødegård"));
    assert!(html.contains("Fordi «erfaring»"));
    let pdf = bemanna_report::ros_pdf(&a).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}
