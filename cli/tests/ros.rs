//! `bemanna ros`: the workshop on the demo home, its text, and its PDF and HTML reports.

mod common;

use common::{bemanna, root};

#[test]
fn ros_prints_matrix_and_ranking_and_writes_reports_with_every_hazard() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("ros.pdf");
    let html = dir.path().join("ros.html");
    let out = bemanna()
        .args([
            "ros",
            "fixtures/demo-home.json",
            "fixtures/ros-demo-home.json",
        ])
        .args(["--runs", "24", "--quiet", "--report"])
        .arg(&pdf)
        .arg("--report")
        .arg(&html)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ws: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/ros-demo-home.json")).unwrap(),
    )
    .unwrap();
    let hazards = ws["hazards"].as_array().unwrap();
    let measures = ws["measures"].as_array().unwrap();
    assert!(hazards.len() >= 5 && measures.len() >= 4);
    assert!(text.contains("Risikomatrise før tiltak"), "{text}");
    assert!(text.contains("24 simulerte bølger"), "{text}");
    for h in hazards {
        assert!(text.contains(h["title"].as_str().unwrap()), "{text}");
    }
    // Every measure is ranked once, 1..=n.
    for (i, m) in measures.iter().enumerate() {
        let line = format!("  {}. ", i + 1);
        assert!(text.contains(&line), "rank {} missing:\n{text}", i + 1);
        assert!(text.contains(m["name"].as_str().unwrap()), "{text}");
    }
    // The override is shown beside the computed cell, with its reason.
    assert!(text.contains("overstyrt til S4×K4"), "{text}");

    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    assert!(bytes.len() > 20_000, "PDF of {} bytes", bytes.len());
    let page = String::from_utf8_lossy(&std::fs::read(&html).unwrap()).to_string();
    assert!(page.contains("<html"), "not HTML");
    for h in hazards {
        let title = h["title"].as_str().unwrap();
        assert!(page.contains(title), "{title} missing from the HTML report");
    }
    for m in measures {
        assert!(page.contains(m["name"].as_str().unwrap()));
    }
    assert!(page.contains("Overstyringer") && page.contains("Erfaringen fra 2020"));
}

#[test]
fn ros_names_the_field_of_a_bad_ros_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("fixtures/ros-demo-home.json"))
        .unwrap()
        .replace(r#""scenario": "mild""#, r#""scenario": "ukjent""#);
    // Checked before any scenario file is read, so the file may live anywhere.
    let path = dir.path().join("ros.json");
    std::fs::write(&path, text).unwrap();
    let out = bemanna()
        .args(["ros", "fixtures/demo-home.json"])
        .arg(&path)
        .args(["--runs", "5", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hazards[5].scenario"), "{err}");
}
