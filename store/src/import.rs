//! Staff lists from HR systems and spreadsheets: CSV as Norwegian Excel writes it (`;`
//! separators, decimal commas, UTF-8 with a BOM or Windows-1252) or plain `,` CSV, and
//! XLSX. Columns are found by their header in Norwegian or English; every bad row is
//! reported with its line number as the spreadsheet shows it, and nothing is written
//! unless the caller accepts the valid rows.

use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::path::Path;

use bemanna_solver::model::{Project, Staff};
use calamine::{Data, Reader};
use rusqlite::TransactionBehavior;

use crate::{project, Error, ProjectId, Result, Store};

/// A field of the staff list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Full name.
    Name,
    /// First name (joined with the last name when there is no full-name column).
    FirstName,
    /// Last name.
    LastName,
    /// Employee number: the staff id.
    EmployeeNumber,
    /// Position or skill: a skill id or name of the project.
    Skill,
    /// Stillingsprosent.
    Stillingsprosent,
    /// Unit: a unit id or name of the project.
    Unit,
}

impl Field {
    /// Its name in messages.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::FirstName => "first name",
            Field::LastName => "last name",
            Field::EmployeeNumber => "employee number",
            Field::Skill => "position/skill",
            Field::Stillingsprosent => "stillingsprosent",
            Field::Unit => "unit",
        }
    }
}

/// Header names understood, after lower-casing and dropping everything but letters and
/// digits (so `Ansatt-nr.`, `Ansatt nr` and `ansattnr` are one).
const HEADERS: &[(&str, Field)] = &[
    ("navn", Field::Name),
    ("fulltnavn", Field::Name),
    ("name", Field::Name),
    ("fullname", Field::Name),
    ("employeename", Field::Name),
    ("ansattnavn", Field::Name),
    ("fornavn", Field::FirstName),
    ("firstname", Field::FirstName),
    ("etternavn", Field::LastName),
    ("lastname", Field::LastName),
    ("surname", Field::LastName),
    ("ansattnr", Field::EmployeeNumber),
    ("ansattnummer", Field::EmployeeNumber),
    ("ansattid", Field::EmployeeNumber),
    ("ansnr", Field::EmployeeNumber),
    ("lnr", Field::EmployeeNumber),
    ("lønnsnr", Field::EmployeeNumber),
    ("employeenumber", Field::EmployeeNumber),
    ("employeeno", Field::EmployeeNumber),
    ("employeeid", Field::EmployeeNumber),
    ("id", Field::EmployeeNumber),
    ("stilling", Field::Skill),
    ("stillingstittel", Field::Skill),
    ("stillingskategori", Field::Skill),
    ("yrke", Field::Skill),
    ("kompetanse", Field::Skill),
    ("position", Field::Skill),
    ("jobtitle", Field::Skill),
    ("skill", Field::Skill),
    ("role", Field::Skill),
    ("stillingsprosent", Field::Stillingsprosent),
    ("stillingsandel", Field::Stillingsprosent),
    ("stillingsstørrelse", Field::Stillingsprosent),
    ("stilling%", Field::Stillingsprosent),
    ("prosent", Field::Stillingsprosent),
    ("fte", Field::Stillingsprosent),
    ("fte%", Field::Stillingsprosent),
    ("ftepercent", Field::Stillingsprosent),
    ("avdeling", Field::Unit),
    ("avd", Field::Unit),
    ("enhet", Field::Unit),
    ("post", Field::Unit),
    ("unit", Field::Unit),
    ("ward", Field::Unit),
    ("department", Field::Unit),
];

fn normalise(h: &str) -> String {
    h.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '%')
        .collect()
}

fn field_of(header: &str) -> Option<Field> {
    let n = normalise(header);
    HEADERS.iter().find(|(h, _)| *h == n).map(|&(_, f)| f)
}

/// How one column of the file was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Column letter as the spreadsheet shows it (A, B, …).
    pub letter: String,
    /// Header text in the file.
    pub header: String,
    /// Field it maps to; None when the column is ignored.
    pub field: Option<Field>,
}

/// A valid row, resolved against the project.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffRow {
    /// Line in the file (1 = first line, as the spreadsheet shows it).
    pub line: usize,
    /// Employee number (staff id).
    pub id: String,
    /// Name.
    pub name: String,
    /// Skill id of the project.
    pub skill: String,
    /// Stillingsprosent, 0–100.
    pub stillingsprosent: f64,
    /// Unit id of the project.
    pub unit: String,
}

/// A bad row: its line and every reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file (as the spreadsheet shows it).
    pub line: usize,
    /// What is wrong.
    pub reasons: Vec<String>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reasons.join("; "))
    }
}

/// A staff file read and checked, not yet written.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffImport {
    /// File name as given.
    pub file: String,
    /// How the file was read: `XLSX`, or the CSV encoding and separator.
    pub format: String,
    /// Line of the header row.
    pub header_line: usize,
    /// Every column and what it was mapped to.
    pub columns: Vec<Column>,
    /// Valid rows.
    pub rows: Vec<StaffRow>,
    /// Bad rows, in file order.
    pub errors: Vec<RowError>,
}

impl StaffImport {
    /// The column mapping in one line per column, for showing to the user.
    pub fn mapping(&self) -> String {
        let mut s = format!(
            "{} ({}), header on line {}:\n",
            self.file, self.format, self.header_line
        );
        for c in &self.columns {
            let to = c.field.map_or("(ignored)", Field::label);
            s.push_str(&format!(
                "  {} {:<22} -> {to}\n",
                c.letter,
                format!("`{}`", c.header)
            ));
        }
        s
    }
}

/// What an import wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOutcome {
    /// New staff.
    pub added: usize,
    /// Existing staff (same employee number) whose name, position, percent and unit were updated.
    pub updated: usize,
    /// Bad rows left out.
    pub skipped: usize,
}

/// Reads a staff list, CSV or XLSX by its extension, and checks every row against the project.
pub fn read_staff_file(path: &Path, project: &Project) -> Result<StaffImport> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let file = path.display().to_string();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_staff_xlsx(&bytes, &file, project),
        "xls" | "ods" => Err(Error::BadImportFile {
            file,
            message: "only .xlsx and .csv files can be imported; save it as .xlsx or .csv".into(),
        }),
        _ => read_staff_csv(&bytes, &file, project),
    }
}

/// Decodes CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 with BOM");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return (String::from_utf16_lossy(&units), "UTF-16");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => (bytes.iter().map(|&b| cp1252(b)).collect(), "Windows-1252"),
    }
}

/// Windows-1252: Latin-1 except 0x80–0x9F.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The separator of the first line: the most frequent of `;`, `,` and tab outside quotes.
fn separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b';', b',', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(1);
    if counts[best] == 0 {
        b','
    } else {
        seps[best]
    }
}

/// Reads a CSV staff list.
pub fn read_staff_csv(bytes: &[u8], file: &str, project: &Project) -> Result<StaffImport> {
    let (text, encoding) = decode(bytes);
    let sep = separator(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::BadImportFile {
            file: file.to_string(),
            message: format!("not readable as CSV: {e}"),
        })?;
        // The line as a spreadsheet shows it, counted from the record's first byte (past
        // any line break the reader puts before it; quoted line breaks count too).
        let mut at = rec
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(text.len());
        while text[at..].starts_with(['\r', '\n']) {
            at += 1;
        }
        let line = 1 + text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        rows.push((line, rec.iter().map(str::to_string).collect()));
    }
    let sep_name = match sep {
        b';' => "`;`",
        b'\t' => "tab",
        _ => "`,`",
    };
    check_rows(
        file,
        format!("CSV, {encoding}, separator {sep_name}"),
        rows,
        project,
    )
}

/// Reads an XLSX staff list (its first sheet).
pub fn read_staff_xlsx(bytes: &[u8], file: &str, project: &Project) -> Result<StaffImport> {
    let bad = |m: String| Error::BadImportFile {
        file: file.to_string(),
        message: m,
    };
    let mut wb = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e| bad(format!("not readable as XLSX: {e}")))?;
    let sheet = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| bad("the workbook has no sheets".into()))?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| bad(format!("sheet `{sheet}`: {e}")))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            // Cells left of the used range are empty; keep column letters true.
            let mut cells = vec![String::new(); col0 as usize];
            cells.extend(r.iter().map(cell_text));
            (row0 as usize + i + 1, cells)
        })
        .collect();
    check_rows(file, format!("XLSX, sheet `{sheet}`"), rows, project)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        // Employee numbers and whole percents come as floats: 1001, not 1001.0.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Parses a stillingsprosent: `80`, `80,5`, `80.5`, `80 %`; a value up to 1 is a fraction
/// of a post (`0,8` is 80 %), as HR systems that write stillingsandel do.
fn parse_percent(s: &str) -> Result<f64, String> {
    let t: String = s
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Err("stillingsprosent is empty".into());
    }
    let v: f64 = t
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("stillingsprosent `{}` is not a number", s.trim()))?;
    let v = if v > 0.0 && v <= 1.0 && !s.contains('%') {
        v * 100.0
    } else {
        v
    };
    if !(0.0..=100.0).contains(&v) {
        return Err(format!(
            "stillingsprosent `{}` is not between 0 and 100",
            s.trim()
        ));
    }
    Ok(v)
}

/// Finds the header row (the first of the first ten rows with three or more known
/// headers), maps the columns and checks every row after it.
fn check_rows(
    file: &str,
    format: String,
    rows: Vec<(usize, Vec<String>)>,
    project: &Project,
) -> Result<StaffImport> {
    let bad = |m: String| Error::BadImportFile {
        file: file.to_string(),
        message: m,
    };
    let hi = rows
        .iter()
        .take(10)
        .position(|(_, cells)| cells.iter().filter(|c| field_of(c).is_some()).count() >= 3)
        .ok_or_else(|| {
            let first = rows
                .iter()
                .find(|(_, c)| c.iter().any(|x| !x.trim().is_empty()))
                .map(|(_, c)| c.join(" | "))
                .unwrap_or_default();
            bad(format!(
                "no header row found; expected columns such as Navn/Name, Ansattnr/Employee number, \
                 Stilling/Position, Stillingsprosent/FTE %, Avdeling/Unit (first row: `{first}`)"
            ))
        })?;
    let (header_line, header) = &rows[hi];
    let mut columns = Vec::new();
    let mut at: HashMap<Field, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let mut field = field_of(h);
        if let Some(f) = field {
            // A second column of the same kind is ignored, and shown so.
            match at.entry(f) {
                std::collections::hash_map::Entry::Occupied(_) => field = None,
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        columns.push(Column {
            letter: letter(i),
            header: h.trim().to_string(),
            field,
        });
    }
    let has_name = at.contains_key(&Field::Name)
        || (at.contains_key(&Field::FirstName) && at.contains_key(&Field::LastName));
    let mut missing: Vec<&str> = [
        Field::EmployeeNumber,
        Field::Skill,
        Field::Stillingsprosent,
        Field::Unit,
    ]
    .into_iter()
    .filter(|f| !at.contains_key(f))
    .map(Field::label)
    .collect();
    if !has_name {
        missing.insert(0, "name");
    }
    if !missing.is_empty() {
        return Err(bad(format!(
            "no column for {} (header on line {header_line}: {})",
            missing.join(", "),
            header.join(" | ")
        )));
    }

    // Known by id or by name, case and punctuation aside; an id wins over a name.
    let by_key = |pairs: Vec<(&String, &String)>| {
        let mut m: HashMap<String, String> = HashMap::new();
        for (id, name) in &pairs {
            m.insert(normalise(name), (*id).clone());
        }
        for (id, _) in &pairs {
            m.insert(normalise(id), (*id).clone());
        }
        m
    };
    let skills = by_key(project.skills.iter().map(|s| (&s.id, &s.name)).collect());
    let units = by_key(project.units.iter().map(|u| (&u.id, &u.name)).collect());
    let known_skills: Vec<String> = project
        .skills
        .iter()
        .map(|s| format!("{} ({})", s.id, s.name))
        .collect();
    let known_units: Vec<String> = project
        .units
        .iter()
        .map(|u| format!("{} ({})", u.id, u.name))
        .collect();

    let mut out = StaffImport {
        file: file.to_string(),
        format,
        header_line: *header_line,
        columns,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(hi + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| {
            at.get(&f)
                .and_then(|&i| cells.get(i))
                .map_or("", |s| s.trim())
        };
        let mut reasons = Vec::new();
        let name = match at.get(&Field::Name) {
            Some(_) => get(Field::Name).to_string(),
            None => format!("{} {}", get(Field::FirstName), get(Field::LastName))
                .trim()
                .to_string(),
        };
        if name.is_empty() {
            reasons.push("name is empty".to_string());
        }
        let id = get(Field::EmployeeNumber).to_string();
        if id.is_empty() {
            reasons.push("employee number is empty".to_string());
        } else if let Some(first) = seen.get(&id) {
            reasons.push(format!("employee number {id} is also on line {first}"));
        } else {
            seen.insert(id.clone(), *line);
        }
        let skill_text = get(Field::Skill);
        let skill = match skills.get(&normalise(skill_text)) {
            Some(s) => s.clone(),
            None if skill_text.is_empty() => {
                reasons.push("position/skill is empty".into());
                String::new()
            }
            None => {
                reasons.push(format!(
                    "unknown position/skill `{skill_text}` (known: {})",
                    known_skills.join(", ")
                ));
                String::new()
            }
        };
        let unit_text = get(Field::Unit);
        let unit = match units.get(&normalise(unit_text)) {
            Some(u) => u.clone(),
            None if unit_text.is_empty() => {
                reasons.push("unit is empty".into());
                String::new()
            }
            None => {
                reasons.push(format!(
                    "unknown unit `{unit_text}` (known: {})",
                    known_units.join(", ")
                ));
                String::new()
            }
        };
        let pct = parse_percent(get(Field::Stillingsprosent)).unwrap_or_else(|e| {
            reasons.push(e);
            0.0
        });
        if reasons.is_empty() {
            out.rows.push(StaffRow {
                line: *line,
                id,
                name,
                skill,
                stillingsprosent: pct,
                unit,
            });
        } else {
            out.errors.push(RowError {
                line: *line,
                reasons,
            });
        }
    }
    Ok(out)
}

/// Puts imported rows into a project: a known employee number updates that person's name,
/// position (first skill), stillingsprosent and unit and keeps the rest; a new one is added.
pub fn apply(project: &mut Project, rows: &[StaffRow]) -> (usize, usize) {
    let (mut added, mut updated) = (0, 0);
    for r in rows {
        match project.staff.iter_mut().find(|s| s.id == r.id) {
            Some(s) => {
                s.name = r.name.clone();
                s.skills.retain(|k| *k != r.skill);
                s.skills.insert(0, r.skill.clone());
                s.stillingsprosent = r.stillingsprosent;
                s.float_units.retain(|u| *u != r.unit);
                s.unit = r.unit.clone();
                updated += 1;
            }
            None => {
                // Through serde, so fields the model gains later take their defaults.
                let staff: Staff = serde_json::from_value(serde_json::json!({
                    "id": r.id,
                    "name": r.name,
                    "skills": [r.skill],
                    "unit": r.unit,
                    "stillingsprosent": r.stillingsprosent,
                }))
                .expect("a staff member with the required fields");
                project.staff.push(staff);
                added += 1;
            }
        }
    }
    (added, updated)
}

impl Store {
    /// Writes an import into a project in one transaction. With bad rows, nothing is written
    /// unless `accept_valid` says to write the valid ones.
    pub fn import_staff(
        &mut self,
        project: ProjectId,
        import: &StaffImport,
        accept_valid: bool,
    ) -> Result<ImportOutcome> {
        if !import.errors.is_empty() && !accept_valid {
            return Err(Error::ImportRejected {
                file: import.file.clone(),
                errors: import.errors.len(),
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut p = project::load(&tx, project)?;
        let (added, updated) = apply(&mut p, &import.rows);
        project::validate(&p)?;
        project::replace(&tx, project, &p)?;
        tx.commit()?;
        Ok(ImportOutcome {
            added,
            updated,
            skipped: import.errors.len(),
        })
    }
}
