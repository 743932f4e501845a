//! Runs the language-neutral finance corpus of `tests/conformance_finance/` (see its README)
//! through the Rust API: loans, grassroots compensation, school public funds, teacher
//! allowances, care schedules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::{Error, Policy};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
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
    Ok(policy)
}

fn to_value<T: serde::Serialize>(answer: Result<T, Error>) -> Result<Value, Error> {
    answer.map(|a| serde_json::to_value(a).expect("answers serialize"))
}

fn run_case(case: &Value) -> Result<Value, Error> {
    let policy = load_policy(case)?;
    let function = case["function"].as_str().expect("case has a function");
    let text = case.get("input_text").and_then(Value::as_str);
    let input = case.get("input").cloned().unwrap_or(Value::Null);
    macro_rules! call {
        ($req:ty, $f:path) => {{
            let request = match text {
                Some(t) => <$req>::from_json(t)?,
                None => <$req>::from_value(input)?,
            };
            to_value($f(&request, &policy))
        }};
    }
    match function {
        "loan" => call!(eduaid::LoanRequest, eduaid::loan_schedule),
        "compensation" => call!(eduaid::CompensationRequest, eduaid::grassroots_compensation),
        "funds" => call!(eduaid::FundsRequest, eduaid::public_funds),
        "allowance" => call!(eduaid::AllowanceRequest, eduaid::teacher_allowances),
        "care" => call!(eduaid::CareRequest, eduaid::care_schedule),
        other => panic!("unknown function {other}"),
    }
}

/// Resolve `a.b[2].c` in `value`.
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut current = value;
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            current = current.get(key)?;
        }
        for chunk in indices.split('[').filter(|c| !c.is_empty()) {
            let i: usize = chunk.trim_end_matches(']').parse().ok()?;
            current = current.get(i)?;
        }
    }
    Some(current)
}

/// Compare one case; return the list of mismatches.
fn check(case: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let outcome = run_case(case);
    if let Some(expected) = case.get("expect_error") {
        match outcome {
            Ok(_) => bad.push(format!("expected error {expected}, got an answer")),
            Err(e) => {
                for (key, actual) in [
                    ("kind", e.kind().as_str().to_string()),
                    ("field", e.field().to_string()),
                    ("code", e.code().to_string()),
                ] {
                    if let Some(want) = expected.get(key).and_then(Value::as_str) {
                        if want != actual {
                            bad.push(format!(
                                "error {key} '{actual}' != expected '{want}' ({})",
                                e.message()
                            ));
                        }
                    }
                }
            }
        }
        return bad;
    }
    let answer = match outcome {
        Ok(a) => a,
        Err(e) => return vec![format!("unexpected error: {}", e.to_json())],
    };
    if let Some(expect) = case.get("expect").and_then(Value::as_object) {
        for (path, want) in expect {
            let (path, count) = match path.strip_suffix("#count") {
                Some(p) => (p, true),
                None => (path.as_str(), false),
            };
            let got = lookup(&answer, path);
            let got = if count {
                got.and_then(Value::as_array).map(|a| Value::from(a.len()))
            } else {
                got.cloned()
            };
            if got.as_ref() != Some(want) {
                bad.push(format!(
                    "{path}{}: got {got:?}, expected {want}",
                    if count { "#count" } else { "" }
                ));
            }
        }
    }
    if let Some(lines) = case.get("expect_parameters_used").and_then(Value::as_array) {
        let used = answer["parameters_used"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for want in lines {
            let fields = want
                .as_object()
                .expect("a receipt expectation is an object");
            let found = used
                .iter()
                .any(|u| fields.iter().all(|(k, v)| u.get(k) == Some(v)));
            if !found {
                bad.push(format!("parameters_used lacks {want}"));
            }
        }
    }
    bad
}

#[test]
fn finance_corpus() {
    let dir = repo_root().join("tests/conformance_finance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/conformance_finance exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut ids = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in doc["cases"].as_array().expect("cases") {
            let id = case["id"].as_str().expect("id").to_string();
            assert!(ids.insert(id.clone()), "duplicate case id {id}");
            count += 1;
            for problem in check(case) {
                failures.push(format!("{id}: {problem}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} finance cases passed");
}
