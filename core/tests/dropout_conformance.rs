//! Runs the dropout-control conformance corpus of `tests/conformance_dropout/` (see its
//! README) through the Rust API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use eduaid::dropout::detect::{self, AttendanceRecord, Enrolment, RegisteredChild};
use eduaid::dropout::metrics::{self, CohortCounts, CohortKind};
use eduaid::dropout::{reports_due, Case, Event, Level, Student};
use eduaid::{Error, Policy};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("a date string"), "%Y-%m-%d").expect("a date")
}

fn load_policy(case: &Value) -> Result<Policy, Error> {
    let mut policy = Policy::national();
    if let Some(list) = case.get("overlays").and_then(Value::as_array) {
        for path in list.iter().filter_map(Value::as_str) {
            let text = std::fs::read_to_string(repo_root().join(path))
                .unwrap_or_else(|e| panic!("overlay {path}: {e}"));
            policy = policy.with_overlay(path, &text)?;
        }
    }
    if let Some(list) = case.get("overlay_inline").and_then(Value::as_array) {
        for (i, doc) in list.iter().enumerate() {
            let name = format!("{}.inline[{i}]", case["id"].as_str().unwrap_or("?"));
            policy = policy.with_overlay(&name, &serde_json::to_string_pretty(doc).unwrap())?;
        }
    }
    Ok(policy)
}

/// Compare the fields `expected` names with `actual`; push mismatches.
fn compare(what: &str, expected: &Value, actual: &Value, bad: &mut Vec<String>) {
    let Some(map) = expected.as_object() else {
        return;
    };
    for (k, want) in map {
        let got = actual.get(k).cloned().unwrap_or(Value::Null);
        if &got != want {
            bad.push(format!("{what}.{k}: expected {want}, got {got}"));
        }
    }
}

fn check_error(expected: &Value, e: &Error, bad: &mut Vec<String>) {
    let got = e.to_json();
    for k in ["kind", "code", "field"] {
        if let Some(want) = expected.get(k) {
            if &got[k] != want {
                bad.push(format!(
                    "error {k}: expected {want}, got {} ({})",
                    got[k],
                    e.message()
                ));
            }
        }
    }
}

fn run_case_kind(case: &Value, policy: &Policy, bad: &mut Vec<String>) {
    let student: Student = match serde_json::from_value(case["student"].clone()) {
        Ok(s) => s,
        Err(e) => return bad.push(format!("student: {e}")),
    };
    let events: Vec<Event> = match serde_json::from_value(case["events"].clone()) {
        Ok(e) => e,
        Err(e) => return bad.push(format!("events: {e}")),
    };
    let replayed = Case::replay(student, &events, policy);
    if let Some(expected) = case.get("expect_error") {
        match replayed {
            Ok(_) => bad.push(format!("expected error {expected}, got a case")),
            Err(e) => check_error(expected, &e, bad),
        }
        return;
    }
    let mut c = match replayed {
        Ok(c) => c,
        Err(e) => return bad.push(format!("replay failed: {}", e.to_json())),
    };
    if let Some(to) = case.get("advance_to") {
        c = match c.advance(date(to), policy) {
            Ok(c) => c,
            Err(e) => return bad.push(format!("advance failed: {}", e.to_json())),
        };
    }
    let mut state = serde_json::to_value(&c).unwrap();
    state["ladder_region"] = c.ladder.region.clone().map_or(Value::Null, Value::from);
    state["events"] = Value::from(c.events.len());
    if let Some(expected) = case.get("expect") {
        compare("expect", expected, &state, bad);
    }
    for (i, check) in case
        .get("due")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let today = date(&check["today"]);
        let actions = serde_json::to_value(c.due(today, policy)).unwrap();
        let want = check["actions"].as_array().cloned().unwrap_or_default();
        let got = actions.as_array().cloned().unwrap_or_default();
        if want.len() != got.len() {
            bad.push(format!(
                "due[{i}] on {today}: expected {} actions, got {}: {actions}",
                want.len(),
                got.len()
            ));
            continue;
        }
        for (j, (w, g)) in want.iter().zip(&got).enumerate() {
            compare(&format!("due[{i}].actions[{j}]"), w, g, bad);
        }
    }
    // Whatever the case, replay and serde give it back.
    let text = serde_json::to_string(&c).unwrap();
    match Case::restore(&text, policy) {
        Ok(back) if back == c => {}
        Ok(_) => bad.push("restore gave another case".into()),
        Err(e) => bad.push(format!("restore failed: {}", e.to_json())),
    }
}

fn run(case: &Value, bad: &mut Vec<String>) {
    let policy = match load_policy(case) {
        Ok(p) => p,
        Err(e) => {
            if let Some(expected) = case.get("expect_error") {
                return check_error(expected, &e, bad);
            }
            return bad.push(format!("policy: {}", e.to_json()));
        }
    };
    let kind = case.get("kind").and_then(Value::as_str).unwrap_or("case");
    match kind {
        "case" => run_case_kind(case, &policy, bad),
        "absence" => {
            let records: Vec<AttendanceRecord> =
                serde_json::from_value(case["records"].clone()).unwrap();
            let region = case.get("region").and_then(Value::as_str).unwrap_or("");
            let found =
                detect::detect_absence("S", &records, date(&case["as_of"]), region, &policy);
            match (found, &case["expect"]) {
                (Ok(None), Value::Null) => {}
                (Ok(Some(f)), expected) if !expected.is_null() => {
                    let mut got = serde_json::to_value(&f).unwrap();
                    got["school_days"] = got["trigger"]["school_days"].clone();
                    got["first_absent"] = got["trigger"]["first_absent"].clone();
                    compare("expect", expected, &got, bad);
                }
                (other, expected) => bad.push(format!("expected {expected}, got {other:?}")),
            }
        }
        "registry" => {
            let children: Vec<RegisteredChild> =
                serde_json::from_value(case["children"].clone()).unwrap();
            let enrolments: Vec<Enrolment> =
                serde_json::from_value(case["enrolments"].clone()).unwrap();
            match detect::compare_registry(&children, &enrolments, date(&case["as_of"]), &policy) {
                Ok(found) => {
                    let got = serde_json::to_value(&found).unwrap();
                    let want = case["expect"].as_array().cloned().unwrap_or_default();
                    let got = got.as_array().cloned().unwrap_or_default();
                    if want.len() != got.len() {
                        bad.push(format!("expected {} findings, got {got:?}", want.len()));
                    }
                    for (j, (w, g)) in want.iter().zip(&got).enumerate() {
                        compare(&format!("expect[{j}]"), w, g, bad);
                    }
                }
                Err(e) => bad.push(format!("registry: {}", e.to_json())),
            }
        }
        "reports" => {
            let level = Level::parse("level", case["level"].as_str().unwrap_or("")).unwrap();
            let region = case.get("region").and_then(Value::as_str).unwrap_or("");
            match reports_due(level, date(&case["date"]), region, &policy) {
                Ok(due) => {
                    let got = serde_json::to_value(&due).unwrap();
                    let want = case["expect"].as_array().cloned().unwrap_or_default();
                    let got = got.as_array().cloned().unwrap_or_default();
                    if want.len() != got.len() {
                        bad.push(format!("expected {} reports, got {got:?}", want.len()));
                    }
                    for (j, (w, g)) in want.iter().zip(&got).enumerate() {
                        compare(&format!("expect[{j}]"), w, g, bad);
                    }
                }
                Err(e) => bad.push(format!("reports: {}", e.to_json())),
            }
        }
        "consolidation" => {
            let cohort: CohortKind = serde_json::from_value(case["cohort"].clone()).unwrap();
            let counts: CohortCounts = serde_json::from_value(case["counts"].clone()).unwrap();
            let region = case.get("region").and_then(Value::as_str).unwrap_or("");
            match metrics::consolidation(
                cohort,
                &counts,
                date(&case["graduation"]),
                region,
                &policy,
            ) {
                Ok(r) => {
                    let mut got = serde_json::to_value(&r).unwrap();
                    got["percent"] = got["rate"]["percent"].clone();
                    for k in ["target", "meets_target"] {
                        if got.get(k).is_none() {
                            got[k] = Value::Null;
                        }
                    }
                    compare("expect", &case["expect"], &got, bad);
                }
                Err(e) => bad.push(format!("consolidation: {}", e.to_json())),
            }
        }
        other => bad.push(format!("unknown kind '{other}'")),
    }
}

#[test]
fn dropout_conformance_corpus() {
    let dir = repo_root().join("tests/conformance_dropout");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no conformance files in {}",
        dir.display()
    );
    let mut ids = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in doc["cases"].as_array().expect("a 'cases' list") {
            count += 1;
            let id = case["id"].as_str().expect("an id").to_string();
            assert!(ids.insert(id.clone()), "duplicate id {id}");
            let mut bad = Vec::new();
            run(case, &mut bad);
            if !bad.is_empty() {
                failures.push(format!("{id}:\n  {}", bad.join("\n  ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{count} dropout conformance cases passed");
}
