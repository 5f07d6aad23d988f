//! Charts as SVG: the risk matrix, a probability plot per hazard, fan charts per scenario.
//! Text is set in Libertinus Serif, one of the fonts shipped with the report.

use std::fmt::Write;

use bemanna_solver::ros::{Acceptance, Level, CONSEQUENCE_NAMES, LIKELIHOOD_NAMES};

const FONT: &str = "Libertinus Serif";

/// Escapes text for SVG.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// At most `n` characters, with an ellipsis when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(n - 1).collect();
        o.push('…');
        o
    }
}

fn level_fill(l: Level) -> &'static str {
    match l {
        Level::Green => "#b7dfa0",
        Level::Yellow => "#ffe38a",
        Level::Red => "#f19a8e",
    }
}

/// A mark in the matrix: a label, its cell, and whether it is drawn faint (a computed cell
/// beside a hand-set one).
pub struct Mark {
    /// Short label ("H1").
    pub label: String,
    /// Likelihood 1–5.
    pub likelihood: u8,
    /// Consequence 1–5.
    pub consequence: u8,
    /// Drawn faint and in brackets.
    pub faint: bool,
}

/// The 5 × 5 matrix: likelihood up, consequence to the right.
pub fn matrix(marks: &[Mark], acc: &Acceptance, title: &str, large: bool) -> String {
    let cell = if large { 92.0 } else { 58.0 };
    let left = if large { 128.0 } else { 30.0 };
    let top = 26.0;
    let bottom = if large { 70.0 } else { 30.0 };
    let w = left + 5.0 * cell + 8.0;
    let h = top + 5.0 * cell + bottom;
    let fs = if large { 13.0 } else { 10.0 };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="16" font-size="{}" font-weight="bold" text-anchor="middle">{}</text>"#,
        left + 2.5 * cell,
        fs + 1.0,
        esc(title)
    );
    for l in 1..=5u8 {
        for c in 1..=5u8 {
            let x = left + f64::from(c - 1) * cell;
            let y = top + f64::from(5 - l) * cell;
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{}" stroke="#ffffff" stroke-width="2"/>"##,
                level_fill(acc.level(l, c))
            );
            let here: Vec<&Mark> = marks
                .iter()
                .filter(|m| m.likelihood == l && m.consequence == c)
                .collect();
            let per_row = if large { 3 } else { 2 };
            for (i, m) in here.iter().enumerate() {
                let col = (i % per_row) as f64;
                let row = (i / per_row) as f64;
                let tx = x + cell / (per_row as f64 + 1.0) * (col + 1.0);
                let ty = y + 4.0 + fs + row * (fs + 4.0);
                let (txt, style) = if m.faint {
                    (
                        format!("({})", m.label),
                        r##" fill="#555555" font-style="italic""##,
                    )
                } else {
                    (m.label.clone(), r#" font-weight="bold""#)
                };
                let _ = write!(
                    s,
                    r#"<text x="{tx}" y="{ty}" font-size="{fs}" text-anchor="middle"{style}>{}</text>"#,
                    esc(&txt)
                );
            }
        }
    }
    for i in 1..=5u8 {
        let y = top + f64::from(5 - i) * cell + cell / 2.0 + fs / 3.0;
        let label = if large {
            format!("{i} {}", LIKELIHOOD_NAMES[usize::from(i - 1)])
        } else {
            i.to_string()
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{y}" font-size="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            fs - 1.0,
            esc(&label)
        );
        let x = left + f64::from(i - 1) * cell + cell / 2.0;
        let yb = top + 5.0 * cell + fs + 2.0;
        let _ = write!(
            s,
            r#"<text x="{x}" y="{yb}" font-size="{}" text-anchor="middle">{i}</text>"#,
            fs - 1.0
        );
        if large {
            let _ = write!(
                s,
                r#"<text x="{x}" y="{}" font-size="{}" text-anchor="middle">{}</text>"#,
                yb + fs,
                fs - 2.0,
                esc(CONSEQUENCE_NAMES[usize::from(i - 1)])
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" font-size="{fs}" text-anchor="middle">Konsekvens →</text>"#,
        left + 2.5 * cell,
        h - 6.0
    );
    if large {
        let _ = write!(
            s,
            r#"<text x="12" y="{}" font-size="{fs}" text-anchor="middle" transform="rotate(-90 12 {})">Sannsynlighet →</text>"#,
            top + 2.5 * cell,
            top + 2.5 * cell
        );
    }
    s.push_str("</svg>");
    s
}

/// One row of a probability plot.
pub struct Row {
    /// Label at the left.
    pub label: String,
    /// Estimate.
    pub p: f64,
    /// Interval.
    pub low: f64,
    /// Interval.
    pub high: f64,
}

/// Probabilities with their intervals, one row each, over the likelihood bands.
pub fn probabilities(rows: &[Row], thresholds: &[f64; 4], factor: f64) -> String {
    let left = 250.0;
    let width = 300.0;
    let rh = 22.0;
    let top = 24.0;
    let h = top + rh * rows.len() as f64 + 30.0;
    let w = left + width + 20.0;
    let x = |p: f64| left + p.clamp(0.0, 1.0) * width;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="11">"#
    );
    // Likelihood bands on the period scale: a probability p is graded as p × factor.
    let mut edges = vec![0.0];
    edges.extend(
        thresholds
            .iter()
            .map(|t| if factor > 0.0 { t / factor } else { 2.0 }),
    );
    edges.push(f64::INFINITY);
    for k in 0..5 {
        let (a, b) = (edges[k].min(1.0), edges[k + 1].min(1.0));
        if b <= a {
            continue;
        }
        let shade = if k % 2 == 0 { "#f2f2f2" } else { "#e4e4e4" };
        let _ = write!(
            s,
            r#"<rect x="{}" y="{top}" width="{}" height="{}" fill="{shade}"/>"#,
            x(a),
            x(b) - x(a),
            rh * rows.len() as f64
        );
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#666666">S{}</text>"##,
            (x(a) + x(b)) / 2.0,
            top - 6.0,
            k + 1
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + rh * (i as f64 + 0.5);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 8.0,
            y + 4.0,
            esc(&short(&r.label, 44))
        );
        let colour = if i == 0 { "#1f4e79" } else { "#c55a11" };
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{colour}" stroke-width="2"/><circle cx="{}" cy="{y}" r="4" fill="{colour}"/>"#,
            x(r.low),
            x(r.high),
            x(r.p)
        );
    }
    let yb = top + rh * rows.len() as f64;
    for t in 0..=10 {
        let p = f64::from(t) / 10.0;
        let _ = write!(
            s,
            r##"<line x1="{0}" y1="{yb}" x2="{0}" y2="{1}" stroke="#333333"/><text x="{0}" y="{2}" text-anchor="middle">{3} %</text>"##,
            x(p),
            yb + 4.0,
            yb + 16.0,
            t * 10
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{yb}" x2="{}" y2="{yb}" stroke="#333333"/>"##,
        left + width
    );
    s.push_str("</svg>");
    s
}

/// A fan: P10–P90 band and P50 line per day.
pub struct Fan<'a> {
    /// Legend.
    pub label: &'a str,
    /// Per day [P10, P50, P90].
    pub days: &'a [[i64; 3]],
    /// Colour.
    pub colour: &'a str,
}

/// Fan charts over the horizon; `ticks` label some days (index, text).
pub fn fan_chart(title: &str, fans: &[Fan], ticks: &[(usize, String)]) -> String {
    let (left, top, width, height) = (40.0, 24.0, 460.0, 150.0);
    let w = left + width + 16.0;
    let h = top + height + 52.0;
    let n = fans.first().map_or(0, |f| f.days.len()).max(2);
    let ymax = fans
        .iter()
        .flat_map(|f| f.days.iter().map(|d| d[2]))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // A round top: 1, 2 or 5 times a power of ten.
    let mut step = 1.0;
    let mut k = 0;
    while ymax / step > 5.0 {
        k += 1;
        step = [1.0, 2.0, 5.0][k % 3] * 10f64.powi((k / 3) as i32);
    }
    let ytop = (ymax / step).ceil() * step;
    let x = |d: usize| left + d as f64 / (n - 1) as f64 * width;
    let y = |v: f64| top + height - v / ytop * height;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="11">"#
    );
    let _ = write!(
        s,
        r#"<text x="{left}" y="14" font-size="12" font-weight="bold">{}</text>"#,
        esc(title)
    );
    let mut v = 0.0;
    while v <= ytop + 1e-9 {
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{0}" x2="{1}" y2="{0}" stroke="#dddddd"/><text x="{2}" y="{3}" text-anchor="end">{4}</text>"##,
            y(v),
            left + width,
            left - 4.0,
            y(v) + 4.0,
            v
        );
        v += step;
    }
    for f in fans {
        let mut pts = String::new();
        for (d, b) in f.days.iter().enumerate() {
            let _ = write!(pts, "{},{} ", x(d), y(b[2] as f64));
        }
        for (d, b) in f.days.iter().enumerate().rev() {
            let _ = write!(pts, "{},{} ", x(d), y(b[0] as f64));
        }
        let _ = write!(
            s,
            r#"<polygon points="{pts}" fill="{}" fill-opacity="0.25" stroke="none"/>"#,
            f.colour
        );
        let mut line = String::new();
        for (d, b) in f.days.iter().enumerate() {
            let _ = write!(line, "{},{} ", x(d), y(b[1] as f64));
        }
        let _ = write!(
            s,
            r#"<polyline points="{line}" fill="none" stroke="{}" stroke-width="2"/>"#,
            f.colour
        );
    }
    let yb = top + height;
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{yb}" x2="{}" y2="{yb}" stroke="#333333"/>"##,
        left + width
    );
    for (d, t) in ticks {
        let _ = write!(
            s,
            r##"<line x1="{0}" y1="{yb}" x2="{0}" y2="{1}" stroke="#333333"/><text x="{0}" y="{2}" text-anchor="middle">{3}</text>"##,
            x(*d),
            yb + 4.0,
            yb + 16.0,
            esc(t)
        );
    }
    let mut lx = left;
    for f in fans {
        let _ = write!(
            s,
            r#"<rect x="{lx}" y="{0}" width="14" height="9" fill="{1}" fill-opacity="0.35"/><line x1="{lx}" y1="{2}" x2="{3}" y2="{2}" stroke="{1}" stroke-width="2"/><text x="{4}" y="{5}">{6}</text>"#,
            yb + 28.0,
            f.colour,
            yb + 32.5,
            lx + 14.0,
            lx + 18.0,
            yb + 37.0,
            esc(f.label)
        );
        lx += 30.0 + 6.0 * f.label.chars().count() as f64;
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="end" fill="#555555">bånd: P10–P90, linje: median</text>"##,
        left + width,
        yb + 37.0
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_escapes_labels_and_colours_cells() {
        let m = [Mark {
            label: "<H&1>".into(),
            likelihood: 5,
            consequence: 5,
            faint: false,
        }];
        let s = matrix(&m, &Acceptance::default(), "Før", true);
        assert!(s.contains("&lt;H&amp;1&gt;"));
        assert!(!s.contains("<H&1>"));
        assert_eq!(s.matches("<rect").count(), 25);
        assert!(s.contains(level_fill(Level::Red)) && s.contains(level_fill(Level::Green)));
    }
}
