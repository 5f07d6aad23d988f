//! Bemanna's reports, typeset by Typst embedded as a library with its fonts shipped in the
//! binary: the ROS workshop as PDF ([`ros_pdf`]) and HTML ([`ros_html`]), in bokmål.
//!
//! The Typst source is a template in the crate (`templates/ros.typ`); the data reach it as
//! a virtual file `data.json` read with `json()`, and the charts as virtual SVG files, so no
//! user text is ever parsed as Typst markup.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod svg;
mod world;

use bemanna_solver::model::fmt_date;
use bemanna_solver::montecarlo::nok;
use bemanna_solver::ros::{
    Assessment, Basis, Cell, Level, Metric, CONSEQUENCE_NAMES, LIKELIHOOD_NAMES,
};
use serde_json::{json, Value};

pub use world::ReportError;

const TEMPLATE: &str = include_str!("../templates/ros.typ");

/// The workshop report as PDF.
pub fn ros_pdf(a: &Assessment) -> Result<Vec<u8>, ReportError> {
    world::pdf(TEMPLATE, files(a))
}

/// The workshop report as a standalone HTML page (charts inlined).
pub fn ros_html(a: &Assessment) -> Result<String, ReportError> {
    let html = world::html(TEMPLATE, files(a))?;
    // Typst's HTML export writes structure only; the page's look comes from this sheet.
    Ok(html.replacen("</head>", &format!("<style>{HTML_CSS}</style></head>"), 1))
}

/// Stylesheet of the HTML report: readable tables, the level colours, print margins.
const HTML_CSS: &str = "\
body{font-family:'Libertinus Serif',Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}\
h1{font-size:1.7rem;margin-bottom:.2rem}p.home{margin-top:0;font-size:1.15rem;color:#444}\
h2{margin-top:2rem;border-bottom:1px solid #bbb}\
table{border-collapse:collapse;margin:.6rem 0 1rem}td,th{border:1px solid #bbb;padding:.25rem .5rem;vertical-align:top}\
tr:first-child td{font-weight:600;background:#f3f3f3}\
img{max-width:100%;height:auto;display:block;margin:.6rem auto}\
.lvl{display:inline-block;padding:.05rem .35rem;border-radius:3px;white-space:nowrap}\
.lvl-rod{background:#f19a8e}.lvl-gul{background:#ffe38a}.lvl-gronn{background:#b7dfa0}\
@media print{body{margin:0;max-width:none}}";

/// "12,3 %".
fn pct(p: f64) -> String {
    let v = p * 100.0;
    let s = if v != 0.0 && v.abs() < 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    };
    format!("{} %", s.replace('.', ","))
}

/// "+1,5" / "−3,0" percentage points.
fn pp(d: f64) -> String {
    let v = d * 100.0;
    let s = format!("{:.1}", v.abs()).replace('.', ",");
    if v > 0.05 {
        format!("+{s}")
    } else if v < -0.05 {
        format!("−{s}")
    } else {
        format!("±{s}")
    }
}

fn kr(x: f64) -> String {
    format!("{} kr", nok(x))
}

fn signed_kr(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", kr(x))
    } else {
        kr(x)
    }
}

fn level_nb(l: Level) -> &'static str {
    match l {
        Level::Green => "grønn",
        Level::Yellow => "gul",
        Level::Red => "rød",
    }
}

fn cell_json(c: &Cell) -> Value {
    json!({
        "text": format!("S{} × K{}", c.likelihood, c.consequence),
        "level": level_nb(c.level),
        "score": c.likelihood * c.consequence,
    })
}

fn metric_value(m: Metric, v: f64) -> String {
    match m {
        Metric::ExtraCostNok | Metric::AgencyCostNok => kr(v),
        _ => format!("{v:.1}")
            .replace('.', ",")
            .trim_end_matches(",0")
            .to_string(),
    }
}

/// The virtual files of the report: `data.json` and the SVG charts.
fn files(a: &Assessment) -> Vec<(String, Vec<u8>)> {
    let ws = &a.workshop;
    let scales = &ws.scales;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let label = |i: usize| format!("H{}", i + 1);

    // The matrix before: the cells in force, and computed cells that were overridden, faint.
    let mut marks = Vec::new();
    for (i, h) in a.hazards.iter().enumerate() {
        marks.push(svg::Mark {
            label: label(i),
            likelihood: h.cell.likelihood,
            consequence: h.cell.consequence,
            faint: false,
        });
        if h.hazard.override_cell.is_some() {
            marks.push(svg::Mark {
                label: label(i),
                likelihood: h.before.cell.likelihood,
                consequence: h.before.cell.consequence,
                faint: true,
            });
        }
    }
    out.push((
        "matrix-before.svg".into(),
        svg::matrix(&marks, &scales.acceptance, "Før tiltak", true).into_bytes(),
    ));

    let order = a.ranking();
    let mut measures = Vec::new();
    for (pos, &mi) in order.iter().enumerate() {
        let m = &a.measures[mi];
        let marks: Vec<svg::Mark> = a
            .hazards
            .iter()
            .enumerate()
            .map(|(i, h)| svg::Mark {
                label: label(i),
                likelihood: h.effects[mi].after.cell.likelihood,
                consequence: h.effects[mi].after.cell.consequence,
                faint: false,
            })
            .collect();
        let file = format!("matrix-measure-{pos}.svg");
        out.push((
            file.clone(),
            svg::matrix(
                &marks,
                &scales.acceptance,
                &format!("{}. {}", m.rank, m.measure.name),
                false,
            )
            .into_bytes(),
        ));
        let dcost: Vec<Value> = a
            .scenarios
            .iter()
            .map(|s| {
                json!({
                    "scenario": s.name,
                    "delta": signed_kr(m.delta_extra_cost_nok.get(&s.id).copied().unwrap_or(0.0)),
                })
            })
            .collect();
        measures.push(json!({
            "rank": m.rank,
            "id": m.measure.id,
            "name": m.measure.name,
            "kind": m.measure.change.kind_nb(),
            "description": m.measure.description,
            "ownCost": kr(m.measure.cost_nok),
            "deltaCost": dcost,
            "totalCost": kr(m.total_cost_nok),
            "reduction": format!("{:.3}", m.risk_reduction).replace('.', ","),
            "perKrone": match m.reduction_per_100k {
                Some(x) => format!("{x:.4}").replace('.', ","),
                None if m.risk_reduction > 0.0 => "sparer penger".into(),
                None => "–".into(),
            },
            "improved": m.hazards_improved,
            "matrix": file,
        }));
    }

    let thresholds = scales.likelihood.thresholds();
    let mut hazards = Vec::new();
    for (i, h) in a.hazards.iter().enumerate() {
        let scen = a.scenarios.iter().find(|s| s.id == h.hazard.scenario);
        let factor = match scales.likelihood.basis {
            Basis::Period => 1.0,
            Basis::Year => scen.and_then(|s| s.annual_probability).unwrap_or(1.0),
        };
        let mut rows = vec![svg::Row {
            label: "Uten tiltak".into(),
            p: h.before.probability,
            low: h.before.low,
            high: h.before.high,
        }];
        for &mi in &order {
            let e = &h.effects[mi];
            rows.push(svg::Row {
                label: a.measures[mi].measure.name.clone(),
                p: e.after.probability,
                low: e.after.low,
                high: e.after.high,
            });
        }
        let chart = format!("hazard-{i}.svg");
        out.push((
            chart.clone(),
            svg::probabilities(&rows, &thresholds, factor).into_bytes(),
        ));
        let est = |e: &bemanna_solver::ros::Estimate| {
            json!({
                "p": pct(e.probability),
                "ci": format!("{}–{}", pct(e.low), pct(e.high)),
                "count": e.count,
                "runs": e.runs,
                "graded": pct(e.graded),
                "range": if e.likelihood_range[0] == e.likelihood_range[1] {
                    format!("S{}", e.likelihood_range[0])
                } else {
                    format!("S{}–S{}", e.likelihood_range[0], e.likelihood_range[1])
                },
                "consequence": metric_value(h.hazard.consequence.metric, e.consequence_value),
                "conditional": e.conditional,
                "cell": cell_json(&e.cell),
            })
        };
        let effects: Vec<Value> = order
            .iter()
            .map(|&mi| {
                let e = &h.effects[mi];
                json!({
                    "measure": a.measures[mi].measure.name,
                    "after": est(&e.after),
                    "delta": pp(e.delta),
                    "deltaCi": format!("{} til {}", pp(e.delta_low), pp(e.delta_high)),
                })
            })
            .collect();
        let stat = match h.hazard.consequence.statistic {
            bemanna_solver::ros::Statistic::Median => "median",
            bemanna_solver::ros::Statistic::P90 => "90-persentil",
            bemanna_solver::ros::Statistic::Mean => "gjennomsnitt",
        };
        hazards.push(json!({
            "label": label(i),
            "id": h.hazard.id,
            "title": h.hazard.title,
            "description": h.hazard.description,
            "causes": h.hazard.causes,
            "consequences": h.hazard.consequences,
            "barriers": h.hazard.barriers,
            "scenario": scen.map(|s| s.name.clone()).unwrap_or_default(),
            "event": h.event_label,
            "consequenceMetric": format!("{} ({stat})", h.hazard.consequence.metric.label_nb()),
            "before": est(&h.before),
            "cell": cell_json(&h.cell),
            "override": h.hazard.override_cell.as_ref().map(|o| json!({
                "cell": cell_json(&Cell {
                    likelihood: o.likelihood,
                    consequence: o.consequence,
                    level: scales.acceptance.level(o.likelihood, o.consequence),
                }),
                "reason": o.reason,
            })),
            "chart": chart,
            "effects": effects,
        }));
    }

    let mut scenarios = Vec::new();
    let best = order.first().copied();
    let ticks: Vec<(usize, String)> = (0..a.dates.len())
        .step_by(7)
        .map(|d| (d, a.dates[d].format("%d.%m").to_string()))
        .collect();
    for (k, s) in a.scenarios.iter().enumerate() {
        let mut files_k = Vec::new();
        for (metric, title) in [
            ("absentTotal", "Ansatte borte per dag"),
            ("uncovered", "Udekkede vakter per dag"),
        ] {
            let mut fans = Vec::new();
            let base = s.baseline.fans.iter().find(|f| f.metric == metric);
            if let Some(f) = base {
                fans.push(svg::Fan {
                    label: "uten tiltak",
                    days: &f.days,
                    colour: "#1f4e79",
                });
            }
            let best_name;
            if let Some(mi) = best {
                if let Some(f) = s.with_measures[mi].fans.iter().find(|f| f.metric == metric) {
                    best_name = format!("med «{}»", a.measures[mi].measure.name);
                    fans.push(svg::Fan {
                        label: &best_name,
                        days: &f.days,
                        colour: "#c55a11",
                    });
                    let file = format!("fan-{k}-{metric}.svg");
                    out.push((
                        file.clone(),
                        svg::fan_chart(title, &fans, &ticks).into_bytes(),
                    ));
                    files_k.push(file);
                    continue;
                }
            }
            let file = format!("fan-{k}-{metric}.svg");
            out.push((
                file.clone(),
                svg::fan_chart(title, &fans, &ticks).into_bytes(),
            ));
            files_k.push(file);
        }
        scenarios.push(json!({
            "id": s.id,
            "name": s.name,
            "description": s.description,
            "annual": s.annual_probability.map(pct),
            "extraCost": kr(s.baseline.expected_extra_cost_nok),
            "uncovered": format!("{:.1}", s.baseline.mean_uncovered).replace('.', ","),
            "withoutNurse": format!("{:.1}", s.baseline.mean_shifts_without_nurse).replace('.', ","),
            "charts": files_k,
        }));
    }

    let lik: Vec<Value> = (0..5)
        .map(|k| {
            let lo = if k == 0 { 0.0 } else { thresholds[k - 1] };
            let range = if k == 4 {
                format!("≥ {}", pct(lo))
            } else {
                format!("{} – {}", pct(lo), pct(thresholds[k]))
            };
            json!({"cat": k + 1, "name": LIKELIHOOD_NAMES[k], "range": range})
        })
        .collect();
    let mut used: Vec<Metric> = a
        .hazards
        .iter()
        .map(|h| h.hazard.consequence.metric)
        .collect();
    used.sort();
    used.dedup();
    let cons: Vec<Value> = used
        .iter()
        .map(|&m| {
            let t = scales.consequence_thresholds(m);
            let cells: Vec<String> = (0..5)
                .map(|k| match k {
                    0 => format!("< {}", metric_value(m, t[0])),
                    4 => format!("≥ {}", metric_value(m, t[3])),
                    _ => format!("{} – {}", metric_value(m, t[k - 1]), metric_value(m, t[k])),
                })
                .collect();
            json!({"metric": m.label_nb(), "cells": cells})
        })
        .collect();
    let acc = &scales.acceptance;
    let data = json!({
        "title": ws.title,
        "home": a.project_name,
        "date": ws.date.map(fmt_date).unwrap_or_default(),
        "period": format!(
            "{} – {} ({} dager)",
            a.dates.first().map(|d| fmt_date(*d)).unwrap_or_default(),
            a.dates.last().map(|d| fmt_date(*d)).unwrap_or_default(),
            a.dates.len()
        ),
        "participants": ws.participants.iter().map(|p| json!({"name": p.name, "role": p.role})).collect::<Vec<_>>(),
        "context": ws.context,
        "runs": a.runs,
        "seed": a.seed,
        "basis": match scales.likelihood.basis {
            Basis::Period => "sannsynlighet for at hendelsen inntreffer i planperioden, gitt at scenariets smittebølge kommer",
            Basis::Year => "sannsynlighet per år: scenariets årlige sannsynlighet × sannsynligheten i planperioden",
        },
        "likelihood": lik,
        "consequenceNames": CONSEQUENCE_NAMES,
        "consequence": cons,
        "acceptance": {
            "green": format!("S × K ≤ {}", acc.yellow_from.saturating_sub(1)),
            "yellow": format!("{} ≤ S × K ≤ {}", acc.yellow_from, acc.red_from.saturating_sub(1)),
            "red": format!("S × K ≥ {}", acc.red_from),
        },
        "scenarios": scenarios,
        "hazards": hazards,
        "measures": measures,
        "overrides": a.hazards.iter().enumerate().filter(|(_, h)| h.hazard.override_cell.is_some()).count(),
    });
    out.push((
        "data.json".into(),
        serde_json::to_vec_pretty(&data).expect("JSON values serialise"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_norwegian() {
        assert_eq!(pct(0.123), "12,3 %");
        assert_eq!(pct(0.004), "0,40 %");
        assert_eq!(pp(-0.03), "−3,0");
        assert_eq!(pp(0.0), "±0,0");
        assert_eq!(metric_value(Metric::UncoveredShifts, 12.0), "12");
        assert_eq!(metric_value(Metric::UncoveredShifts, 12.5), "12,5");
    }
}
