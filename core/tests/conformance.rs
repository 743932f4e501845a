//! Runs the language-neutral conformance corpus of `tests/conformance/` (see its README)
//! through the Rust API. The Python and JavaScript suites run the same files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::{evaluate_in, Assessment, Error, Lang, Policy, Profile};
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
    if let Some(list) = case.get("overlay_texts").and_then(Value::as_array) {
        for item in list {
            let name = item["name"].as_str().unwrap_or("overlay");
            let text = item["text"].as_str().unwrap_or_default();
            policy = policy.with_overlay(name, text)?;
        }
    }
    Ok(policy)
}

fn run_case(case: &Value) -> Result<Assessment, Error> {
    let policy = load_policy(case)?;
    let as_of_text = case["as_of"].as_str().unwrap_or_default();
    let as_of = eduaid::calendar::parse_date("as_of", as_of_text)?;
    let lang = match case.get("lang").and_then(Value::as_str) {
        Some(l) => Lang::parse("lang", l)?,
        None => Lang::En,
    };
    let profile = match case.get("profile_text").and_then(Value::as_str) {
        Some(text) => Profile::from_json(text)?,
        None => Profile::from_value(case["profile"].clone())?,
    };
    evaluate_in(&profile, as_of, &policy, lang)
}

fn codes(reasons: &Value) -> Vec<String> {
    reasons
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Compare one case; return the list of mismatches.
fn check(case: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let outcome = run_case(case);
    if let Some(expected) = case.get("expect_error") {
        match outcome {
            Ok(_) => bad.push(format!("expected error {expected}, got an assessment")),
            Err(e) => {
                if expected.get("kind").and_then(Value::as_str) != Some(e.kind().as_str()) {
                    bad.push(format!(
                        "error kind {} != expected {}",
                        e.kind().as_str(),
                        expected["kind"]
                    ));
                }
                if let Some(code) = expected.get("code").and_then(Value::as_str) {
                    if code != e.code() {
                        bad.push(format!("error code '{}' != expected '{code}'", e.code()));
                    }
                }
                if let Some(line) = expected.get("line").and_then(Value::as_u64) {
                    let got = match &e {
                        Error::Policy { line, .. } => *line as u64,
                        _ => 0,
                    };
                    if got != line {
                        bad.push(format!("error line {got} != expected {line}"));
                    }
                }
                if let Some(field) = expected.get("field").and_then(Value::as_str) {
                    if field != e.field() {
                        bad.push(format!(
                            "error field '{}' != expected '{field}' ({})",
                            e.field(),
                            e.message()
                        ));
                    }
                }
            }
        }
        return bad;
    }
    let assessment = match outcome {
        Ok(a) => serde_json::to_value(a).expect("assessment serializes"),
        Err(e) => {
            return vec![format!(
                "unexpected error {}: {} ({})",
                e.kind().as_str(),
                e.message(),
                e.field()
            )]
        }
    };
    let expect = &case["expect"];
    if let Some(level) = expect.get("difficulty_level") {
        if assessment["difficulty_level"] != *level {
            bad.push(format!(
                "difficulty_level {} != {level}",
                assessment["difficulty_level"]
            ));
        }
    }
    let find = |list: &str, program: &str| -> Option<Value> {
        assessment[list]
            .as_array()?
            .iter()
            .find(|e| e["program"] == program)
            .cloned()
    };
    if let Some(entitled) = expect.get("entitled").and_then(Value::as_object) {
        for (program, want) in entitled {
            let Some(got) = find("entitlements", program) else {
                let why = find("not_eligible", program)
                    .map(|n| codes(&n["because"]).join(","))
                    .unwrap_or_default();
                bad.push(format!(
                    "{program}: expected entitled, got not eligible ({why})"
                ));
                continue;
            };
            for field in ["kind", "annual_amount", "school_year_total"] {
                if let Some(w) = want.get(field) {
                    if got[field] != *w {
                        bad.push(format!("{program}.{field}: {} != expected {w}", got[field]));
                    }
                }
            }
            if let Some(w) = want.get("payments").and_then(Value::as_object) {
                let got_payments: serde_json::Map<String, Value> = got["payments"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|p| {
                                (
                                    p["term"].as_str().unwrap_or("").to_string(),
                                    p["amount"].clone(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if got_payments != *w {
                    bad.push(format!(
                        "{program}.payments: {} != expected {}",
                        Value::Object(got_payments),
                        Value::Object(w.clone())
                    ));
                }
            }
            if let Some(w) = want.get("because").and_then(Value::as_array) {
                let have = codes(&got["because"]);
                for code in w.iter().filter_map(Value::as_str) {
                    if !have.iter().any(|h| h == code) {
                        bad.push(format!(
                            "{program}: reason {code} missing (has {})",
                            have.join(",")
                        ));
                    }
                }
            }
        }
    }
    if let Some(not) = expect.get("not_eligible").and_then(Value::as_object) {
        for (program, want) in not {
            if find("entitlements", program).is_some() {
                bad.push(format!("{program}: expected not eligible, got entitled"));
                continue;
            }
            let Some(got) = find("not_eligible", program) else {
                bad.push(format!("{program}: not listed at all"));
                continue;
            };
            let have = codes(&got["because"]);
            for code in want
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !have.iter().any(|h| h == code) {
                    bad.push(format!(
                        "{program}: reason {code} missing (has {})",
                        have.join(",")
                    ));
                }
            }
        }
    }
    if let Some(only) = expect.get("only_entitled").and_then(Value::as_array) {
        let mut want: Vec<&str> = only.iter().filter_map(Value::as_str).collect();
        let mut have: Vec<&str> = assessment["entitlements"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["program"].as_str()).collect())
            .unwrap_or_default();
        want.sort_unstable();
        have.sort_unstable();
        if want != have {
            bad.push(format!("entitled set {have:?} != expected {want:?}"));
        }
    }
    if let Some(total) = expect.get("annual_cash_total") {
        if assessment["annual_cash_total"] != *total {
            bad.push(format!(
                "annual_cash_total {} != {total}",
                assessment["annual_cash_total"]
            ));
        }
    }
    if let Some(notes) = expect.get("notes").and_then(Value::as_array) {
        let have = codes(&assessment["notes"]);
        for code in notes.iter().filter_map(Value::as_str) {
            if !have.iter().any(|h| h == code) {
                bad.push(format!("note {code} missing (has {})", have.join(",")));
            }
        }
    }
    bad
}

#[test]
fn conformance_corpus() {
    let mut files: Vec<PathBuf> = ["tests/conformance", "tests/malformed"]
        .iter()
        .map(|d| repo_root().join(d))
        .filter(|d| d.is_dir())
        .flat_map(|d| {
            std::fs::read_dir(d)
                .expect("readable")
                .filter_map(|e| e.ok().map(|e| e.path()))
        })
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failed) = (0usize, Vec::new());
    let mut ids = std::collections::BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let doc: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in doc["cases"].as_array().expect("cases") {
            let id = case["id"].as_str().expect("id").to_string();
            assert!(ids.insert(id.clone()), "duplicate case id {id}");
            let bad = check(case);
            if bad.is_empty() {
                passed += 1;
            } else {
                failed.push(format!(
                    "{} [{}]:\n    {}",
                    id,
                    file.file_name().unwrap().to_string_lossy(),
                    bad.join("\n    ")
                ));
            }
        }
    }
    println!("conformance: {passed} passed, {} failed", failed.len());
    assert!(
        failed.is_empty(),
        "{} conformance cases failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(passed > 0, "the corpus ran no case");
}
