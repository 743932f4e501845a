//! Runs the report corpus of `tests/conformance_reports/` (see its README): roster reports,
//! what-if comparisons and registry reconciliations on small inputs with hand-computed
//! figures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::reconcile::{self, EnrolmentRecord, RegistryMember};
use eduaid::reports::{roster_report, what_if};
use eduaid::roster::Header;
use eduaid::{Lang, Policy, Profile};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lang(case: &Value) -> Lang {
    match case.get("lang").and_then(Value::as_str) {
        Some("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

fn as_of(case: &Value) -> chrono::NaiveDate {
    eduaid::calendar::parse_date("as_of", case["as_of"].as_str().unwrap()).unwrap()
}

fn with_layers(mut policy: Policy, case: &Value, prefix: &str) -> Policy {
    if let Some(list) = case
        .get(format!("{prefix}overlays"))
        .and_then(Value::as_array)
    {
        for path in list.iter().filter_map(Value::as_str) {
            let text = std::fs::read_to_string(repo_root().join(path)).unwrap();
            policy = policy.with_overlay(path, &text).unwrap();
        }
    }
    if let Some(list) = case
        .get(format!("{prefix}overlay_texts"))
        .and_then(Value::as_array)
    {
        for (i, doc) in list.iter().enumerate() {
            policy = policy
                .with_overlay(&format!("{prefix}overlay_texts[{i}]"), &doc.to_string())
                .unwrap_or_else(|e| panic!("overlay {i}: {e}"));
        }
    }
    if let Some(list) = case
        .get(format!("{prefix}regions"))
        .and_then(Value::as_array)
    {
        for r in list.iter().filter_map(Value::as_str) {
            policy = policy.with_region(r).unwrap();
        }
    }
    policy
}

fn rows(case: &Value) -> Vec<eduaid::Result<Profile>> {
    if let Some(text) = case.get("roster_csv").and_then(Value::as_str) {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let header = Header::new(&header).unwrap();
        return lines
            .map(|l| header.profile(&l.split(',').collect::<Vec<_>>()))
            .collect();
    }
    case["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| match p {
            Value::String(text) => Profile::from_json(text),
            other => Profile::from_value(other.clone()),
        })
        .collect()
}

/// Compare `want` (a partial object) with `got`, field by field; objects recurse, other
/// values must be equal.
fn partial(path: &str, got: &Value, want: &Value, bad: &mut Vec<String>) {
    match want {
        Value::Object(map) => {
            for (k, w) in map {
                partial(&format!("{path}.{k}"), &got[k], w, bad);
            }
        }
        _ => {
            if got != want {
                bad.push(format!("{path}: got {got}, expected {want}"));
            }
        }
    }
}

/// Find the element of `list` whose `key` equals `value`.
fn find<'a>(list: &'a Value, key: &str, value: &str) -> Option<&'a Value> {
    list.as_array()?
        .iter()
        .find(|e| e[key].as_str() == Some(value))
}

fn check_report(case: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let policy = with_layers(Policy::national(), case, "");
    let report = roster_report(rows(case), as_of(case), &policy, lang(case)).unwrap();
    let got = serde_json::to_value(&report).unwrap();
    let expect = &case["expect"];
    if let Some(w) = expect.get("totals") {
        let mut totals = got["totals"].clone();
        // `students` is flattened in JSON: the group fields sit beside rows and errors.
        if let Some(obj) = totals.as_object_mut() {
            obj.insert("students".into(), got["totals"]["students"].clone());
        }
        partial("totals", &totals, w, &mut bad);
    }
    if let Some(w) = expect.get("by_program").and_then(Value::as_object) {
        for (program, fields) in w {
            let Some(p) = find(&got["by_program"], "program", program) else {
                bad.push(format!("by_program.{program}: missing"));
                continue;
            };
            for (k, v) in fields.as_object().unwrap() {
                if k == "terms" {
                    let terms: serde_json::Map<String, Value> = p["terms"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| (t["term"].as_str().unwrap().to_string(), t["amount"].clone()))
                        .collect();
                    if Value::Object(terms.clone()) != *v {
                        bad.push(format!(
                            "by_program.{program}.terms: got {}, expected {v}",
                            Value::Object(terms)
                        ));
                    }
                } else {
                    partial(&format!("by_program.{program}.{k}"), &p[k], v, &mut bad);
                }
            }
        }
    }
    if let Some(w) = expect.get("only_programs").and_then(Value::as_array) {
        let mut have: Vec<&str> = got["by_program"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["program"].as_str().unwrap())
            .collect();
        let mut want: Vec<&str> = w.iter().map(|v| v.as_str().unwrap()).collect();
        have.sort_unstable();
        want.sort_unstable();
        if have != want {
            bad.push(format!("programs: got {have:?}, expected {want:?}"));
        }
    }
    for section in ["by_stage", "by_region"] {
        if let Some(w) = expect.get(section).and_then(Value::as_object) {
            for (group, fields) in w {
                match find(&got[section], "group", group) {
                    Some(g) => partial(&format!("{section}.{group}"), g, fields, &mut bad),
                    None => bad.push(format!("{section}.{group}: missing")),
                }
            }
        }
    }
    if let Some(w) = expect.get("coverage") {
        let c = &got["coverage"];
        for k in [
            "key_group_students",
            "key_group_with_cash",
            "studying_elsewhere_students",
        ] {
            if let Some(v) = w.get(k) {
                partial(&format!("coverage.{k}"), &c[k], v, &mut bad);
            }
        }
        if let Some(gaps) = w.get("gaps").and_then(Value::as_array) {
            let have: Vec<Value> = c["gaps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| {
                    serde_json::json!({ "row": g["row"], "first_code": g["reasons"][0]["code"] })
                })
                .collect();
            if have != *gaps {
                bad.push(format!(
                    "coverage.gaps: got {}, expected {}",
                    Value::from(have),
                    Value::from(gaps.clone())
                ));
            }
        }
        if let Some(flags) = w.get("studying_elsewhere").and_then(Value::as_array) {
            let have = c["studying_elsewhere"].as_array().unwrap();
            if have.len() != flags.len() {
                bad.push(format!(
                    "coverage.studying_elsewhere: {} flags, expected {}",
                    have.len(),
                    flags.len()
                ));
            }
            for (g, f) in have.iter().zip(flags) {
                partial("coverage.studying_elsewhere[]", g, f, &mut bad);
            }
        }
    }
    if let Some(errors) = expect.get("row_errors").and_then(Value::as_array) {
        let have: Vec<Value> = got["row_errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| serde_json::json!({ "row": e["row"], "field": e["field"] }))
            .collect();
        if have != *errors {
            bad.push(format!(
                "row_errors: got {}, expected {}",
                Value::from(have),
                Value::from(errors.clone())
            ));
        }
    }
    bad
}

fn check_whatif(case: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let base = with_layers(Policy::national(), case, "base_");
    let alternative = with_layers(base.clone(), case, "");
    let w = what_if(rows(case), as_of(case), &base, &alternative, lang(case)).unwrap();
    let got = serde_json::to_value(&w).unwrap();
    let expect = &case["expect"];
    if let Some(programs) = expect.get("by_program").and_then(Value::as_object) {
        for (program, fields) in programs {
            match find(&got["by_program"], "program", program) {
                Some(p) => partial(&format!("by_program.{program}"), p, fields, &mut bad),
                None => bad.push(format!("by_program.{program}: missing")),
            }
        }
    }
    for k in [
        "base_school_year_cash",
        "alternative_school_year_cash",
        "cash_change",
        "base_with_cash",
        "alternative_with_cash",
        "changed_students",
    ] {
        if let Some(v) = expect.get(k) {
            partial(k, &got[k], v, &mut bad);
        }
    }
    if let Some(changed) = expect.get("changed").and_then(Value::as_array) {
        let have: Vec<Value> = got["changed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let programs: Vec<Value> = c["changed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["program"].clone())
                    .collect();
                serde_json::json!({ "row": c["row"], "gained": c["gained"], "lost": c["lost"],
                                    "changed": programs, "cash_change": c["cash_change"] })
            })
            .collect();
        if have != *changed {
            bad.push(format!(
                "changed: got {}, expected {}",
                Value::from(have),
                Value::from(changed.clone())
            ));
        }
    }
    bad
}

fn check_reconcile(case: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let registry: Vec<RegistryMember> = case["registry"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| reconcile::member_from_json(i as u64 + 1, &r.to_string()).unwrap())
        .collect();
    let enrolment: Vec<EnrolmentRecord> = case["enrolment"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| reconcile::record_from_json(i as u64 + 1, &r.to_string()).unwrap())
        .collect();
    let result = reconcile::reconcile(&registry, &enrolment, as_of(case), lang(case));
    let got = serde_json::to_value(&result).unwrap();
    let expect = &case["expect"];
    if let Some(w) = expect.get("summary") {
        partial("summary", &got["summary"], w, &mut bad);
    }
    for list in ["matched", "not_enrolled", "unconfirmed", "invalid_ids"] {
        if let Some(want) = expect.get(list).and_then(Value::as_array) {
            let have = got[list].as_array().unwrap();
            if have.len() != want.len() {
                bad.push(format!(
                    "{list}: {} entries, expected {}",
                    have.len(),
                    want.len()
                ));
            }
            for (i, (h, w)) in have.iter().zip(want).enumerate() {
                partial(&format!("{list}[{i}]"), h, w, &mut bad);
            }
        }
    }
    if let Some(secrets) = expect.get("must_not_contain").and_then(Value::as_array) {
        let text = got.to_string();
        let debug = format!("{registry:?} {enrolment:?}");
        for s in secrets.iter().filter_map(Value::as_str) {
            if text.contains(s) {
                bad.push(format!("the result shows '{s}' unmasked"));
            }
            if debug.contains(s) {
                bad.push(format!("Debug of the inputs shows '{s}' unmasked"));
            }
        }
    }
    bad
}

#[test]
fn report_corpus() {
    let dir = repo_root().join("tests/conformance_reports");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "no corpus files in {}", dir.display());
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut ids = std::collections::BTreeSet::new();
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            cases += 1;
            let id = case["id"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "duplicate case id {id}");
            let bad = match case["kind"].as_str() {
                Some("report") => check_report(case),
                Some("whatif") => check_whatif(case),
                Some("reconcile") => check_reconcile(case),
                other => vec![format!("unknown kind {other:?}")],
            };
            if !bad.is_empty() {
                failures.push(format!("{id}:\n  {}", bad.join("\n  ")));
            }
        }
    }
    assert!(cases >= 6);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
