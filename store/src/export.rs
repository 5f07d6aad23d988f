//! Exports: a roster as CSV (the CLI's `staff_id,date,shift_code,unit_id`) or as XLSX in the
//! layout leaders know, and a whole project as JSON.

use std::collections::{BTreeMap, HashMap};

use bemanna_solver::formats;
use bemanna_solver::model::{AbsenceKind, Project};
use bemanna_solver::roster::Roster;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use crate::Result;

/// A roster as CSV, byte for byte what `bemanna roster --out FILE.csv` writes.
pub fn roster_csv(roster: &Roster) -> String {
    formats::roster_to_csv(roster)
}

/// A project as pretty JSON: the project file the CLI and the app read.
pub fn project_json(project: &Project) -> String {
    formats::project_to_json(project)
}

/// Norwegian short weekday names.
fn weekday_nb(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "man",
        Weekday::Tue => "tir",
        Weekday::Wed => "ons",
        Weekday::Thu => "tor",
        Weekday::Fri => "fre",
        Weekday::Sat => "lør",
        Weekday::Sun => "søn",
    }
}

fn absence_code(k: AbsenceKind) -> &'static str {
    match k {
        AbsenceKind::Ferie => "Ferie",
        AbsenceKind::Sykdom => "Syk",
        AbsenceKind::Karantene => "Kar",
        AbsenceKind::Isolasjon => "Iso",
        AbsenceKind::Fri => "Fri",
    }
}

/// Rows above the first person: title, ISO week, weekday, date.
pub const XLSX_HEADER_ROWS: u32 = 4;
/// Columns left of the first date: Ansattnr, Navn, Avdeling, Stilling %.
pub const XLSX_LEFT_COLUMNS: u16 = 4;

/// A roster as an XLSX workbook in the leader's layout: one row per person (in the
/// project's order), one column per date under its ISO week (`uke 10`), weekday and date
/// (dd.mm.yyyy); each cell holds the shift code (with the unit when the person works
/// outside their own, absences in grey), then one column of hours per ISO week and a total.
pub fn roster_xlsx(project: &Project, roster: &Roster, title: &str) -> Result<Vec<u8>> {
    let days = project.days as usize;
    let dates: Vec<NaiveDate> = (0..days)
        .map(|d| project.start + Duration::days(d as i64))
        .collect();
    let day_of = |date: NaiveDate| -> Option<usize> {
        let d = (date - project.start).num_days();
        (0..days as i64).contains(&d).then_some(d as usize)
    };
    // ISO weeks in the horizon, in order, with their first and last day index.
    let mut weeks: Vec<((i32, u32), usize, usize)> = Vec::new();
    for (d, date) in dates.iter().enumerate() {
        let w = date.iso_week();
        let key = (w.year(), w.week());
        match weeks.last_mut() {
            Some((k, _, last)) if *k == key => *last = d,
            _ => weeks.push((key, d, d)),
        }
    }
    let week_of: Vec<usize> = (0..days)
        .map(|d| {
            weeks
                .iter()
                .position(|&(_, a, b)| a <= d && d <= b)
                .unwrap_or(0)
        })
        .collect();
    let paid: HashMap<&str, u32> = project
        .shift_types
        .iter()
        .map(|s| (s.code.as_str(), s.paid_minutes))
        .collect();

    // People: the project's staff in order, then anyone in the roster the project lacks.
    let mut people: Vec<(String, String, String, Option<f64>)> = project
        .staff
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.name.clone(),
                s.unit.clone(),
                Some(s.stillingsprosent),
            )
        })
        .collect();
    let mut row_of: HashMap<String, usize> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.0.clone(), i))
        .collect();
    let mut cells: Vec<BTreeMap<usize, Vec<String>>> = vec![BTreeMap::new(); people.len()];
    let mut minutes: Vec<Vec<u32>> = vec![vec![0; weeks.len()]; people.len()];
    for a in &roster.assignments {
        let Some(d) = day_of(a.date) else { continue };
        let e = *row_of.entry(a.staff.clone()).or_insert_with(|| {
            people.push((a.staff.clone(), "(ukjent)".into(), String::new(), None));
            cells.push(BTreeMap::new());
            minutes.push(vec![0; weeks.len()]);
            people.len() - 1
        });
        let mut text = if a.unit == people[e].2 || people[e].2.is_empty() {
            a.shift.clone()
        } else {
            format!("{} {}", a.shift, a.unit)
        };
        if let Some(c) = &a.cohort {
            text = format!("{text} ({c})");
        }
        cells[e].entry(d).or_default().push(text);
        minutes[e][week_of[d]] += paid.get(a.shift.as_str()).copied().unwrap_or(0);
    }
    let mut absent: HashMap<(usize, usize), AbsenceKind> = HashMap::new();
    for ab in &project.absences {
        if let Some(&e) = row_of.get(&ab.staff) {
            let mut date = ab.from.max(project.start);
            while date <= ab.to {
                match day_of(date) {
                    Some(d) => absent.insert((e, d), ab.kind),
                    None => break,
                };
                date += Duration::days(1);
            }
        }
    }

    let blue = Color::RGB(0xDDEBF7);
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color(blue);
    let head_left = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(blue);
    let weekend = Format::new()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF2F2F2));
    let date_fmt = head.clone().set_num_format("dd.mm.yyyy").set_font_size(9);
    let cell = Format::new()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let absent_fmt = cell
        .clone()
        .set_italic()
        .set_font_color(Color::RGB(0x808080));
    let text = Format::new().set_border(FormatBorder::Thin);
    let hours = Format::new()
        .set_num_format("0.0")
        .set_border(FormatBorder::Thin)
        .set_bold();

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Turnus")?;
    ws.write_string_with_format(0, 0, title, &bold)?;
    let left = ["Ansattnr", "Navn", "Avdeling", "Stilling %"];
    for (c, h) in left.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head_left)?;
        ws.write_string_with_format(1, c as u16, "", &head_left)?;
        ws.write_string_with_format(2, c as u16, "", &head_left)?;
    }
    let col0 = XLSX_LEFT_COLUMNS;
    for &((_, wk), a, b) in &weeks {
        let label = format!("uke {wk}");
        if a == b {
            ws.write_string_with_format(1, col0 + a as u16, &label, &head)?;
        } else {
            ws.merge_range(1, col0 + a as u16, 1, col0 + b as u16, &label, &head)?;
        }
    }
    for (d, date) in dates.iter().enumerate() {
        let c = col0 + d as u16;
        ws.write_string_with_format(2, c, weekday_nb(date.weekday()), &head)?;
        let xl = ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)?;
        ws.write_datetime_with_format(3, c, xl, &date_fmt)?;
        ws.set_column_width(c, 10.5)?;
    }
    let tcol = col0 + days as u16;
    for (i, &((_, wk), _, _)) in weeks.iter().enumerate() {
        let c = tcol + i as u16;
        ws.write_string_with_format(1, c, format!("uke {wk}"), &head)?;
        ws.write_string_with_format(2, c, "timer", &head)?;
        ws.write_string_with_format(3, c, "sum", &head)?;
        ws.set_column_width(c, 7.0)?;
    }
    let total_col = tcol + weeks.len() as u16;
    ws.write_string_with_format(1, total_col, "Totalt", &head)?;
    ws.write_string_with_format(2, total_col, "timer", &head)?;
    ws.write_string_with_format(3, total_col, "sum", &head)?;

    for (e, (id, name, unit, pct)) in people.iter().enumerate() {
        let r = XLSX_HEADER_ROWS + e as u32;
        ws.write_string_with_format(r, 0, id, &text)?;
        ws.write_string_with_format(r, 1, name, &text)?;
        ws.write_string_with_format(r, 2, unit, &text)?;
        match pct {
            Some(p) => ws.write_number_with_format(r, 3, *p, &text)?,
            None => ws.write_string_with_format(r, 3, "", &text)?,
        };
        for (d, date) in dates.iter().enumerate() {
            let c = col0 + d as u16;
            let fmt = if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                &weekend
            } else {
                &cell
            };
            match (cells[e].get(&d), absent.get(&(e, d))) {
                (Some(codes), _) => ws.write_string_with_format(r, c, codes.join("/"), fmt)?,
                (None, Some(k)) => {
                    ws.write_string_with_format(r, c, absence_code(*k), &absent_fmt)?
                }
                (None, None) => ws.write_string_with_format(r, c, "", fmt)?,
            };
        }
        for (i, m) in minutes[e].iter().enumerate() {
            ws.write_number_with_format(r, tcol + i as u16, f64::from(*m) / 60.0, &hours)?;
        }
        let total: u32 = minutes[e].iter().sum();
        ws.write_number_with_format(r, total_col, f64::from(total) / 60.0, &hours)?;
    }
    ws.set_column_width(0, 10.0)?;
    ws.set_column_width(1, 24.0)?;
    ws.set_column_width(2, 10.0)?;
    ws.set_column_width(3, 10.0)?;
    ws.set_freeze_panes(XLSX_HEADER_ROWS, col0)?;
    Ok(wb.save_to_buffer()?)
}
