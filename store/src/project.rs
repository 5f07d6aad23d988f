//! Projects (a home): the model's lists in real tables, its settings as JSON columns.
//!
//! The mapping goes through the model's own JSON (serde), one field at a time: a field with a
//! column of its own is taken out of the object, and whatever is left (a field the solver
//! added after this schema was written, or a value of an unexpected shape) is kept in the
//! row's `extra` JSON. So project → database → project is exact as the model grows.

use std::collections::HashMap;

use bemanna_solver::model::{Instance, Project};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde_json::{Map, Value};

use crate::{now, Error, ProjectId, Result, Store};

type Obj = Map<String, Value>;

/// A project in the list of projects.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectSummary {
    /// Database id.
    pub id: ProjectId,
    /// Name of the home.
    pub name: String,
    /// First day of the horizon (YYYY-MM-DD).
    pub start: String,
    /// Days in the horizon.
    pub days: u32,
    /// Number of staff.
    pub staff: usize,
    /// Last saved (RFC 3339, UTC).
    pub updated_at: String,
}

impl Store {
    /// All projects, oldest first.
    pub fn projects(&self) -> Result<Vec<ProjectSummary>> {
        let mut st = self.conn.prepare(
            "SELECT p.id, p.name, p.start_date, p.days, p.updated_at,
                    (SELECT count(*) FROM staff s WHERE s.project_id = p.id)
             FROM project p ORDER BY p.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ProjectSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                start: r.get(2)?,
                days: r.get(3)?,
                updated_at: r.get(4)?,
                staff: r.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves a new project (validated by the solver first) and returns its id.
    pub fn insert_project(&mut self, p: &Project) -> Result<ProjectId> {
        validate(p)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert(&tx, p)?;
        tx.commit()?;
        Ok(id)
    }

    /// Replaces a project's content (validated first); its rosters, scenarios and studies stay.
    pub fn update_project(&mut self, id: ProjectId, p: &Project) -> Result<()> {
        validate(p)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        replace(&tx, id, p)?;
        tx.commit()?;
        Ok(())
    }

    /// Reads a project back as the model.
    pub fn load_project(&self, id: ProjectId) -> Result<Project> {
        load(&self.conn, id)
    }

    /// Deletes a project with everything that belongs to it.
    pub fn delete_project(&mut self, id: ProjectId) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM project WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(not_found(id));
        }
        Ok(())
    }
}

pub(crate) fn not_found(id: ProjectId) -> Error {
    Error::NotFound(format!("no project with id {id} in the database"))
}

pub(crate) fn validate(p: &Project) -> Result<()> {
    Instance::new(p.clone())
        .map(|_| ())
        .map_err(Error::InvalidProject)
}

// ---- taking fields out of the model's JSON ------------------------------------------------

fn take_str(o: &mut Obj, k: &str) -> Option<String> {
    match o.get(k) {
        Some(Value::String(_)) => match o.remove(k) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

fn take_int(o: &mut Obj, k: &str) -> Option<i64> {
    let v = o.get(k)?.as_i64()?;
    o.remove(k);
    Some(v)
}

fn take_f64(o: &mut Obj, k: &str) -> Option<f64> {
    let v = o.get(k).filter(|v| v.is_f64())?.as_f64()?;
    o.remove(k);
    Some(v)
}

fn take_bool(o: &mut Obj, k: &str) -> Option<bool> {
    let v = o.get(k)?.as_bool()?;
    o.remove(k);
    Some(v)
}

/// A non-null value as JSON text.
fn take_json(o: &mut Obj, k: &str) -> Option<String> {
    if o.get(k).is_none_or(Value::is_null) {
        return None;
    }
    o.remove(k).map(|v| v.to_string())
}

fn take_strs(o: &mut Obj, k: &str) -> Option<Vec<String>> {
    let Some(Value::Array(a)) = o.get(k) else {
        return None;
    };
    if !a.iter().all(Value::is_string) {
        return None;
    }
    match o.remove(k) {
        Some(Value::Array(a)) => Some(
            a.into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

fn take_objs(o: &mut Obj, k: &str) -> Option<Vec<Obj>> {
    let Some(Value::Array(a)) = o.get(k) else {
        return None;
    };
    if !a.iter().all(Value::is_object) {
        return None;
    }
    match o.remove(k) {
        Some(Value::Array(a)) => Some(
            a.into_iter()
                .filter_map(|v| match v {
                    Value::Object(m) => Some(m),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

fn req<T>(v: Option<T>, what: &str) -> Result<T> {
    v.ok_or_else(|| Error::Corrupt(format!("cannot store a project without {what}")))
}

fn extra(o: Obj) -> Option<String> {
    (!o.is_empty()).then(|| Value::Object(o).to_string())
}

// ---- writing -------------------------------------------------------------------------------

pub(crate) fn insert(tx: &Transaction, p: &Project) -> Result<ProjectId> {
    let mut top = match serde_json::to_value(p)? {
        Value::Object(o) => o,
        _ => return Err(Error::Corrupt("a project is not a JSON object".into())),
    };
    let t = now();
    let head = Head::take(&mut top)?;
    tx.execute(
        "INSERT INTO project (format_version, name, start_date, days, rules, weights, extra,
                              created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '{}', ?7, ?7)",
        params![
            head.format_version,
            head.name,
            head.start,
            head.days,
            head.rules,
            head.weights,
            t
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_children(tx, id, top)?;
    Ok(id)
}

pub(crate) fn replace(tx: &Transaction, id: ProjectId, p: &Project) -> Result<()> {
    let mut top = match serde_json::to_value(p)? {
        Value::Object(o) => o,
        _ => return Err(Error::Corrupt("a project is not a JSON object".into())),
    };
    let head = Head::take(&mut top)?;
    let n = tx.execute(
        "UPDATE project SET format_version = ?2, name = ?3, start_date = ?4, days = ?5,
                rules = ?6, weights = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            head.format_version,
            head.name,
            head.start,
            head.days,
            head.rules,
            head.weights,
            now()
        ],
    )?;
    if n == 0 {
        return Err(not_found(id));
    }
    // Children first, in the order the foreign keys need; rosters are not touched.
    for table in [
        "request",
        "absence",
        "demand",
        "nurse_cover",
        "staff",
        "skill_cover",
        "skill",
        "shift_type",
        "cohort",
        "unit",
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE project_id = ?1"), [id])?;
    }
    write_children(tx, id, top)
}

struct Head {
    format_version: i64,
    name: String,
    start: String,
    days: i64,
    rules: String,
    weights: String,
}

impl Head {
    fn take(top: &mut Obj) -> Result<Head> {
        Ok(Head {
            format_version: req(take_int(top, "formatVersion"), "formatVersion")?,
            name: req(take_str(top, "name"), "name")?,
            start: req(take_str(top, "start"), "start")?,
            days: req(take_int(top, "days"), "days")?,
            rules: take_json(top, "rules").unwrap_or_else(|| "null".into()),
            weights: take_json(top, "weights").unwrap_or_else(|| "null".into()),
        })
    }
}

fn write_children(tx: &Transaction, id: ProjectId, mut top: Obj) -> Result<()> {
    if let Some(units) = take_objs(&mut top, "units") {
        let mut st = tx.prepare_cached(
            "INSERT INTO unit (project_id, id, pos, name, beds, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut sc = tx.prepare_cached(
            "INSERT INTO cohort (project_id, unit_id, id, pos, name, extra) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (pos, mut u) in (0i64..).zip(units) {
            let uid = req(take_str(&mut u, "id"), "a unit id")?;
            let name = take_str(&mut u, "name");
            let beds = take_int(&mut u, "beds");
            let cohorts = take_objs(&mut u, "cohorts");
            st.execute(params![id, uid, pos, name, beds, extra(u)])?;
            for (cpos, mut c) in (0i64..).zip(cohorts.into_iter().flatten()) {
                let cid = req(take_str(&mut c, "id"), "a cohort id")?;
                let name = take_str(&mut c, "name");
                sc.execute(params![id, uid, cid, cpos, name, extra(c)])?;
            }
        }
    }
    if let Some(skills) = take_objs(&mut top, "skills") {
        let mut st = tx.prepare_cached(
            "INSERT INTO skill (project_id, id, pos, name, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut covers = Vec::new();
        for (pos, mut s) in (0i64..).zip(skills) {
            let sid = req(take_str(&mut s, "id"), "a skill id")?;
            let name = take_str(&mut s, "name");
            covers.push((sid.clone(), take_strs(&mut s, "covers").unwrap_or_default()));
            st.execute(params![id, sid, pos, name, extra(s)])?;
        }
        // After all skills: a skill may cover one listed after it.
        let mut sc = tx.prepare_cached(
            "INSERT INTO skill_cover (project_id, skill_id, pos, covers_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (sid, list) in covers {
            for (pos, c) in (0i64..).zip(list.iter()) {
                sc.execute(params![id, sid, pos, c])?;
            }
        }
    }
    if let Some(shifts) = take_objs(&mut top, "shiftTypes") {
        let mut st = tx.prepare_cached(
            "INSERT INTO shift_type (project_id, code, pos, name, start_time, end_time, paid_minutes, night, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (pos, mut s) in (0i64..).zip(shifts) {
            let code = req(take_str(&mut s, "code"), "a shift code")?;
            let name = take_str(&mut s, "name");
            let start = take_str(&mut s, "start");
            let end = take_str(&mut s, "end");
            let paid = take_int(&mut s, "paidMinutes");
            let night = take_bool(&mut s, "night");
            st.execute(params![
                id,
                code,
                pos,
                name,
                start,
                end,
                paid,
                night,
                extra(s)
            ])?;
        }
    }
    if let Some(staff) = take_objs(&mut top, "staff") {
        let mut st = tx.prepare_cached(
            "INSERT INTO staff (project_id, id, pos, name, unit_id, stillingsprosent, max_extra_shifts,
                                hourly_wage, rules, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut sk = tx.prepare_cached(
            "INSERT INTO staff_skill (project_id, staff_id, pos, skill_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut fu = tx.prepare_cached(
            "INSERT INTO staff_float_unit (project_id, staff_id, pos, unit_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (pos, mut s) in (0i64..).zip(staff) {
            let sid = req(take_str(&mut s, "id"), "a staff id")?;
            let name = take_str(&mut s, "name");
            let unit = req(take_str(&mut s, "unit"), "a staff member's unit")?;
            let pct = take_f64(&mut s, "stillingsprosent");
            let extra_shifts = take_int(&mut s, "maxExtraShifts");
            let wage = take_f64(&mut s, "hourlyWage");
            let rules = take_json(&mut s, "rules");
            let skills = take_strs(&mut s, "skills");
            let floats = take_strs(&mut s, "floatUnits");
            st.execute(params![
                id,
                sid,
                pos,
                name,
                unit,
                pct,
                extra_shifts,
                wage,
                rules,
                extra(s)
            ])?;
            for (i, k) in (0i64..).zip(skills.iter().flatten()) {
                sk.execute(params![id, sid, i, k])?;
            }
            for (i, u) in (0i64..).zip(floats.iter().flatten()) {
                fu.execute(params![id, sid, i, u])?;
            }
        }
    }
    if let Some(demand) = take_objs(&mut top, "demand") {
        let mut st = tx.prepare_cached(
            "INSERT INTO demand (project_id, pos, unit_id, shift_code, skill_id, min_heads, wanted_heads,
                                 weekdays, dates, under_weight, over_weight, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for (pos, mut d) in (0i64..).zip(demand) {
            let unit = req(take_str(&mut d, "unit"), "a demand line's unit")?;
            let shift = req(take_str(&mut d, "shift"), "a demand line's shift")?;
            let skill = req(take_str(&mut d, "skill"), "a demand line's skill")?;
            let min = take_int(&mut d, "min");
            let wanted = take_int(&mut d, "wanted");
            let weekdays = take_json(&mut d, "weekdays");
            let dates = take_json(&mut d, "dates");
            let under = take_f64(&mut d, "underWeight");
            let over = take_f64(&mut d, "overWeight");
            st.execute(params![
                id,
                pos,
                unit,
                shift,
                skill,
                min,
                wanted,
                weekdays,
                dates,
                under,
                over,
                extra(d)
            ])?;
        }
    }
    if let Some(covers) = take_objs(&mut top, "nurseCover") {
        let mut st = tx.prepare_cached(
            "INSERT INTO nurse_cover (project_id, pos, skills, scope, min_per_shift, patients_per_nurse,
                                      shifts, units, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (pos, mut c) in (0i64..).zip(covers) {
            let skills = take_json(&mut c, "skills");
            let scope = take_str(&mut c, "scope");
            let min = take_int(&mut c, "minPerShift");
            let ppn = take_int(&mut c, "patientsPerNurse");
            let shifts = take_json(&mut c, "shifts");
            let units = take_json(&mut c, "units");
            st.execute(params![
                id,
                pos,
                skills,
                scope,
                min,
                ppn,
                shifts,
                units,
                extra(c)
            ])?;
        }
    }
    if let Some(absences) = take_objs(&mut top, "absences") {
        let mut st = tx.prepare_cached(
            "INSERT INTO absence (project_id, pos, staff_id, kind, from_date, to_date, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (pos, mut a) in (0i64..).zip(absences) {
            let staff = req(take_str(&mut a, "staff"), "an absence's staff id")?;
            let kind = take_str(&mut a, "kind");
            let from = take_str(&mut a, "from");
            let to = take_str(&mut a, "to");
            st.execute(params![id, pos, staff, kind, from, to, extra(a)])?;
        }
    }
    if let Some(requests) = take_objs(&mut top, "requests") {
        let mut st = tx.prepare_cached(
            "INSERT INTO request (project_id, pos, staff_id, date, shift_code, kind, weight, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (pos, mut r) in (0i64..).zip(requests) {
            let staff = req(take_str(&mut r, "staff"), "a request's staff id")?;
            let date = take_str(&mut r, "date");
            let shift = take_str(&mut r, "shift");
            let kind = take_str(&mut r, "kind");
            let weight = take_int(&mut r, "weight");
            st.execute(params![id, pos, staff, date, shift, kind, weight, extra(r)])?;
        }
    }
    // Whatever is left: settings the solver added after this schema (reserves, policies, …).
    tx.execute(
        "UPDATE project SET extra = ?2 WHERE id = ?1",
        params![id, Value::Object(top).to_string()],
    )?;
    Ok(())
}

// ---- reading -------------------------------------------------------------------------------

fn parse_obj(text: Option<String>) -> rusqlite::Result<Obj> {
    match text {
        None => Ok(Obj::new()),
        Some(t) => match serde_json::from_str(&t) {
            Ok(Value::Object(o)) => Ok(o),
            Ok(_) => Err(bad_json(format!("`{t}` is not a JSON object"))),
            Err(e) => Err(bad_json(e.to_string())),
        },
    }
}

fn parse_val(text: Option<String>) -> rusqlite::Result<Option<Value>> {
    match text {
        None => Ok(None),
        Some(t) => serde_json::from_str(&t)
            .map(Some)
            .map_err(|e| bad_json(e.to_string())),
    }
}

fn bad_json(msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, msg.into())
}

/// Sets `k` unless the row's extra already holds it (then that value is the original).
fn put(o: &mut Obj, k: &str, v: Option<Value>) {
    if let Some(v) = v {
        o.entry(k).or_insert(v);
    }
}

fn s(v: Option<String>) -> Option<Value> {
    v.map(Value::String)
}

fn i(v: Option<i64>) -> Option<Value> {
    v.map(Value::from)
}

fn f(v: Option<f64>) -> Option<Value> {
    v.map(Value::from)
}

fn strs(v: Vec<String>) -> Option<Value> {
    Some(Value::Array(v.into_iter().map(Value::String).collect()))
}

/// `(parent, value)` rows, ordered by parent then position, grouped by parent.
fn grouped(
    conn: &Connection,
    sql: &str,
    id: ProjectId,
) -> rusqlite::Result<HashMap<String, Vec<String>>> {
    let mut st = conn.prepare_cached(sql)?;
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    let mut rows = st.query([id])?;
    while let Some(r) = rows.next()? {
        m.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    Ok(m)
}

pub(crate) fn load(conn: &Connection, id: ProjectId) -> Result<Project> {
    let head = conn
        .query_row(
            "SELECT format_version, name, start_date, days, rules, weights, extra
             FROM project WHERE id = ?1",
            [id],
            |r| {
                let mut o = parse_obj(r.get(6)?)?;
                put(&mut o, "formatVersion", i(r.get(0)?));
                put(&mut o, "name", s(r.get(1)?));
                put(&mut o, "start", s(r.get(2)?));
                put(&mut o, "days", i(r.get(3)?));
                for (k, col) in [("rules", 4), ("weights", 5)] {
                    put(&mut o, k, parse_val(r.get(col)?)?.filter(|v| !v.is_null()));
                }
                Ok(o)
            },
        )
        .optional()?;
    let mut top = head.ok_or_else(|| not_found(id))?;

    let mut cohorts: HashMap<String, Vec<Value>> = HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT unit_id, id, name, extra FROM cohort WHERE project_id = ?1 ORDER BY unit_id, pos",
        )?;
        let mut rows = st.query([id])?;
        while let Some(r) = rows.next()? {
            let mut o = parse_obj(r.get(3)?)?;
            put(&mut o, "id", s(r.get(1)?));
            put(&mut o, "name", s(r.get(2)?));
            cohorts.entry(r.get(0)?).or_default().push(Value::Object(o));
        }
    }
    let units = rows(
        conn,
        "SELECT id, name, beds, extra FROM unit WHERE project_id = ?1 ORDER BY pos",
        id,
        3,
        |r, o| {
            let uid: String = r.get(0)?;
            put(o, "name", s(r.get(1)?));
            put(o, "beds", i(r.get(2)?));
            put(
                o,
                "cohorts",
                Some(Value::Array(cohorts.remove(&uid).unwrap_or_default())),
            );
            put(o, "id", Some(Value::String(uid)));
            Ok(())
        },
    )?;
    put(&mut top, "units", Some(units));

    let mut covers = grouped(
        conn,
        "SELECT skill_id, covers_id FROM skill_cover WHERE project_id = ?1 ORDER BY skill_id, pos",
        id,
    )?;
    let skills = rows(
        conn,
        "SELECT id, name, extra FROM skill WHERE project_id = ?1 ORDER BY pos",
        id,
        2,
        |r, o| {
            let sid: String = r.get(0)?;
            put(o, "name", s(r.get(1)?));
            put(o, "covers", strs(covers.remove(&sid).unwrap_or_default()));
            put(o, "id", Some(Value::String(sid)));
            Ok(())
        },
    )?;
    put(&mut top, "skills", Some(skills));

    let shifts = rows(
        conn,
        "SELECT code, name, start_time, end_time, paid_minutes, night, extra
         FROM shift_type WHERE project_id = ?1 ORDER BY pos",
        id,
        6,
        |r, o| {
            put(o, "code", s(r.get(0)?));
            put(o, "name", s(r.get(1)?));
            put(o, "start", s(r.get(2)?));
            put(o, "end", s(r.get(3)?));
            put(o, "paidMinutes", i(r.get(4)?));
            put(o, "night", r.get::<_, Option<bool>>(5)?.map(Value::Bool));
            Ok(())
        },
    )?;
    put(&mut top, "shiftTypes", Some(shifts));

    let mut skills_of = grouped(
        conn,
        "SELECT staff_id, skill_id FROM staff_skill WHERE project_id = ?1 ORDER BY staff_id, pos",
        id,
    )?;
    let mut floats_of = grouped(
        conn,
        "SELECT staff_id, unit_id FROM staff_float_unit WHERE project_id = ?1 ORDER BY staff_id, pos",
        id,
    )?;
    let staff = rows(
        conn,
        "SELECT id, name, unit_id, stillingsprosent, max_extra_shifts, hourly_wage, rules, extra
         FROM staff WHERE project_id = ?1 ORDER BY pos",
        id,
        7,
        |r, o| {
            let sid: String = r.get(0)?;
            put(o, "name", s(r.get(1)?));
            put(o, "unit", s(r.get(2)?));
            put(o, "stillingsprosent", f(r.get(3)?));
            put(o, "maxExtraShifts", i(r.get(4)?));
            put(o, "hourlyWage", f(r.get(5)?));
            put(o, "rules", parse_val(r.get(6)?)?);
            put(
                o,
                "skills",
                strs(skills_of.remove(&sid).unwrap_or_default()),
            );
            if let Some(fl) = floats_of.remove(&sid) {
                put(o, "floatUnits", strs(fl));
            }
            put(o, "id", Some(Value::String(sid)));
            Ok(())
        },
    )?;
    put(&mut top, "staff", Some(staff));

    let demand = rows(
        conn,
        "SELECT unit_id, shift_code, skill_id, min_heads, wanted_heads, weekdays, dates,
                under_weight, over_weight, extra
         FROM demand WHERE project_id = ?1 ORDER BY pos",
        id,
        9,
        |r, o| {
            put(o, "unit", s(r.get(0)?));
            put(o, "shift", s(r.get(1)?));
            put(o, "skill", s(r.get(2)?));
            put(o, "min", i(r.get(3)?));
            put(o, "wanted", i(r.get(4)?));
            put(o, "weekdays", parse_val(r.get(5)?)?);
            put(o, "dates", parse_val(r.get(6)?)?);
            put(o, "underWeight", f(r.get(7)?));
            put(o, "overWeight", f(r.get(8)?));
            Ok(())
        },
    )?;
    put(&mut top, "demand", Some(demand));

    let cover = rows(
        conn,
        "SELECT skills, scope, min_per_shift, patients_per_nurse, shifts, units, extra
         FROM nurse_cover WHERE project_id = ?1 ORDER BY pos",
        id,
        6,
        |r, o| {
            put(o, "skills", parse_val(r.get(0)?)?);
            put(o, "scope", s(r.get(1)?));
            put(o, "minPerShift", i(r.get(2)?));
            put(o, "patientsPerNurse", i(r.get(3)?));
            put(o, "shifts", parse_val(r.get(4)?)?);
            put(o, "units", parse_val(r.get(5)?)?);
            Ok(())
        },
    )?;
    put(&mut top, "nurseCover", Some(cover));

    let absences = rows(
        conn,
        "SELECT staff_id, kind, from_date, to_date, extra FROM absence WHERE project_id = ?1 ORDER BY pos",
        id,
        4,
        |r, o| {
            put(o, "staff", s(r.get(0)?));
            put(o, "kind", s(r.get(1)?));
            put(o, "from", s(r.get(2)?));
            put(o, "to", s(r.get(3)?));
            Ok(())
        },
    )?;
    put(&mut top, "absences", Some(absences));

    let requests = rows(
        conn,
        "SELECT staff_id, date, shift_code, kind, weight, extra FROM request WHERE project_id = ?1 ORDER BY pos",
        id,
        5,
        |r, o| {
            put(o, "staff", s(r.get(0)?));
            put(o, "date", s(r.get(1)?));
            put(o, "shift", s(r.get(2)?));
            put(o, "kind", s(r.get(3)?));
            put(o, "weight", i(r.get(4)?));
            Ok(())
        },
    )?;
    put(&mut top, "requests", Some(requests));

    serde_json::from_value(Value::Object(top))
        .map_err(|e| Error::Corrupt(format!("project {id} does not read back as a project: {e}")))
}

/// Runs `sql` for a project and builds one JSON object per row: the row's `extra` (at
/// column `extra_col`) plus what `fill` puts in.
fn rows(
    conn: &Connection,
    sql: &str,
    id: ProjectId,
    extra_col: usize,
    mut fill: impl FnMut(&rusqlite::Row, &mut Obj) -> rusqlite::Result<()>,
) -> Result<Value> {
    let mut st = conn.prepare_cached(sql)?;
    let mut out = Vec::new();
    let mut q = st.query([id])?;
    while let Some(r) = q.next()? {
        let mut o = parse_obj(r.get(extra_col)?)?;
        fill(r, &mut o)?;
        out.push(Value::Object(o));
    }
    Ok(Value::Array(out))
}
