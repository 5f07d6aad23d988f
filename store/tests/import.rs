//! Staff import: Norwegian and English headers, `;` and `,`, BOM and Windows-1252, XLSX;
//! every bad row with its line; nothing written unless the valid rows are accepted.

use std::path::{Path, PathBuf};

use bemanna_store::import::{read_staff_csv, read_staff_file, read_staff_xlsx, Field};
use bemanna_store::{Error, Seed, Store};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/staff")
        .join(name)
}

fn demo_store() -> (Store, i64) {
    let store = Store::open_in_memory(Seed::DemoHome).unwrap();
    let id = store.projects().unwrap()[0].id;
    (store, id)
}

#[test]
fn norwegian_excel_csv_imports_and_updates() {
    let (mut store, id) = demo_store();
    let p = store.load_project(id).unwrap();
    let imp = read_staff_file(&fixture("ansatte.csv"), &p).unwrap();
    assert!(imp.format.contains("UTF-8 with BOM"), "{}", imp.format);
    assert!(imp.format.contains("`;`"), "{}", imp.format);
    let fields: Vec<Option<Field>> = imp.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [
            Some(Field::EmployeeNumber),
            Some(Field::Name),
            Some(Field::Skill),
            Some(Field::Stillingsprosent),
            Some(Field::Unit)
        ]
    );
    let m = imp.mapping();
    assert!(
        m.contains("`Ansattnr`") && m.contains("employee number"),
        "{m}"
    );
    assert!(imp.errors.is_empty(), "{:?}", imp.errors);
    let rows: Vec<(usize, &str, &str, &str, f64, &str)> = imp
        .rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.id.as_str(),
                r.name.as_str(),
                r.skill.as_str(),
                r.stillingsprosent,
                r.unit.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (2, "1001", "Bjørn Eide", "SPL", 100.0, "LT"),
            (3, "2001", "Nilsen, Per", "HFA", 80.5, "KT"),
            (4, "2002", "Åse Vik", "HFA", 50.0, "DE"),
            (5, "2003", "Marit Løkken", "ASS", 20.0, "LT"),
        ]
    );
    let out = store.import_staff(id, &imp, false).unwrap();
    assert_eq!((out.added, out.updated, out.skipped), (3, 1, 0));
    let after = store.load_project(id).unwrap();
    assert_eq!(after.staff.len(), p.staff.len() + 3);
    let per = after.staff.iter().find(|s| s.id == "2001").unwrap();
    assert_eq!(
        (per.stillingsprosent, per.unit.as_str(), per.skills.clone()),
        (80.5, "KT", vec!["HFA".to_string()])
    );
    // The updated person keeps what the file does not carry (wage).
    let old = p.staff.iter().find(|s| s.id == "1001").unwrap();
    let new = after.staff.iter().find(|s| s.id == "1001").unwrap();
    assert_eq!(new.hourly_wage, old.hourly_wage);
}

#[test]
fn bad_rows_are_all_reported_with_their_lines_and_nothing_is_written() {
    let (mut store, id) = demo_store();
    let before = store.load_project(id).unwrap();
    let imp = read_staff_file(&fixture("ansatte-med-feil.csv"), &before).unwrap();
    let lines: Vec<usize> = imp.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8]);
    let text: Vec<String> = imp.errors.iter().map(|e| e.to_string()).collect();
    assert!(text[0].contains("unknown unit `Avd 9`"), "{}", text[0]);
    assert!(
        text[1].contains("unknown position/skill `Lege`"),
        "{}",
        text[1]
    );
    assert!(text[2].contains("name is empty"), "{}", text[2]);
    assert!(text[3].contains("also on line 2"), "{}", text[3]);
    assert!(text[4].contains("`åtti` is not a number"), "{}", text[4]);
    assert!(text[5].contains("between 0 and 100"), "{}", text[5]);
    assert_eq!(imp.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 10]);

    let e = store.import_staff(id, &imp, false).unwrap_err();
    assert!(matches!(e, Error::ImportRejected { errors: 6, .. }), "{e}");
    assert_eq!(store.load_project(id).unwrap(), before, "nothing written");

    let out = store.import_staff(id, &imp, true).unwrap();
    assert_eq!((out.added, out.updated, out.skipped), (2, 0, 6));
    let after = store.load_project(id).unwrap();
    assert!(after.staff.iter().any(|s| s.id == "2007"));
    assert!(!after.staff.iter().any(|s| s.id == "2002"));
}

#[test]
fn english_comma_csv_with_fractions_and_extra_columns() {
    let (store, id) = demo_store();
    let p = store.load_project(id).unwrap();
    let imp = read_staff_file(&fixture("staff-en.csv"), &p).unwrap();
    assert!(imp.format.contains("`,`"));
    assert!(imp.errors.is_empty(), "{:?}", imp.errors);
    assert_eq!(imp.columns[5].field, None, "Email is ignored");
    assert!(imp.mapping().contains("(ignored)"));
    assert_eq!(imp.rows[0].skill, "SPL");
    assert_eq!(imp.rows[1].skill, "HFA");
    assert_eq!(imp.rows[1].stillingsprosent, 80.0, "0.8 of a post");
}

#[test]
fn windows_1252_is_decoded() {
    let (store, id) = demo_store();
    let p = store.load_project(id).unwrap();
    // "Åse Vik" and "Løkken" as Excel's "CSV (semikolondelt)" writes them on Windows.
    let bytes =
        b"Ansattnr;Navn;Stilling;Stilling %;Avd\r\n4001;\xc5se L\xf8kken;Sykepleier;75,5;KT\r\n";
    let imp = read_staff_csv(bytes, "ansi.csv", &p).unwrap();
    assert!(imp.format.contains("Windows-1252"), "{}", imp.format);
    assert_eq!(imp.rows[0].name, "Åse Løkken");
    assert_eq!(imp.rows[0].stillingsprosent, 75.5);
}

#[test]
fn missing_columns_are_named() {
    let (store, id) = demo_store();
    let p = store.load_project(id).unwrap();
    let e = read_staff_csv(b"Navn;Ansattnr;Stilling\nKari;1;SPL\n", "x.csv", &p).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("stillingsprosent") && m.contains("unit"), "{m}");
    let e = read_staff_csv(b"a;b;c\n1;2;3\n", "x.csv", &p).unwrap_err();
    assert!(e.to_string().contains("no header row"), "{e}");
}

/// The XLSX fixture: a title row, then a header in row 3 with first and last name apart,
/// numbers as numbers (stillingsandel as fractions), one bad row.
fn xlsx_fixture_bytes() -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Ansatte").unwrap();
    ws.write_string(0, 0, "Ansatteliste Solbakken, mars 2026")
        .unwrap();
    let header = [
        "Ansatt-nr.",
        "Fornavn",
        "Etternavn",
        "Kompetanse",
        "Stillingsandel",
        "Enhet",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [(f64, &str, &str, &str, f64, &str); 3] = [
        (
            5001.0,
            "Kari",
            "Nordmann",
            "Sykepleier",
            0.75,
            "Langtid 2. etg",
        ),
        (5002.0, "Ola", "Hansen", "Assistent", 0.5, "KT"),
        (5003.0, "Per", "Lie", "Helsefagarbeider", 1.0, "Avd X"),
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_number(row, 0, r.0).unwrap();
        ws.write_string(row, 1, r.1).unwrap();
        ws.write_string(row, 2, r.2).unwrap();
        ws.write_string(row, 3, r.3).unwrap();
        ws.write_number(row, 4, r.4).unwrap();
        ws.write_string(row, 5, r.5).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
#[ignore = "writes fixtures/staff/ansatte.xlsx; run by hand when the fixture should change"]
fn write_xlsx_fixture() {
    std::fs::write(fixture("ansatte.xlsx"), xlsx_fixture_bytes()).unwrap();
}

fn check_xlsx(imp: &bemanna_store::import::StaffImport) {
    assert_eq!(imp.header_line, 3);
    assert!(imp.format.contains("XLSX"), "{}", imp.format);
    let got: Vec<(usize, &str, &str, &str, f64, &str)> = imp
        .rows
        .iter()
        .map(|r| {
            (
                r.line,
                r.id.as_str(),
                r.name.as_str(),
                r.skill.as_str(),
                r.stillingsprosent,
                r.unit.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (4, "5001", "Kari Nordmann", "SPL", 75.0, "LT"),
            (5, "5002", "Ola Hansen", "ASS", 50.0, "KT"),
        ]
    );
    assert_eq!(imp.errors.len(), 1);
    assert_eq!(imp.errors[0].line, 6);
    assert!(imp.errors[0].reasons[0].contains("unknown unit `Avd X`"));
}

#[test]
fn xlsx_fixture_imports() {
    let (store, id) = demo_store();
    let p = store.load_project(id).unwrap();
    check_xlsx(&read_staff_file(&fixture("ansatte.xlsx"), &p).unwrap());
    // And the workbook as the generator makes it now.
    check_xlsx(&read_staff_xlsx(&xlsx_fixture_bytes(), "ny.xlsx", &p).unwrap());
}
