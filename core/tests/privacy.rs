//! Privacy (issue 8): resident identity numbers and names never appear unmasked in errors,
//! debug output ("logs") or reports. Each test feeds identity numbers and names through
//! every error path it can reach — profile JSON, roster rows and headers, overlay files,
//! dropout students and events, registry and enrolment rows — and checks the raw texts are
//! absent from the error's JSON envelope, its `Display` and its `Debug`. Masked forms such
//! as `1101************2X` and `张**` may appear.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use eduaid::dropout::{Event, Student};
use eduaid::reconcile;
use eduaid::reports::RosterReport;
use eduaid::roster::{Header, COLUMNS};
use eduaid::{evaluate, Error, Lang, Policy, Profile};

/// Valid and invalid identity numbers (the GB 11643 example, one of each length class).
const IDS: &[&str] = &[
    "11010519491231002X",
    "130431201603050076",
    "130431201001011234",
    "11010519491231002x",
    "440301199912319999",
    "130431800101123",
];
const NAMES: &[&str] = &["张三丰", "欧阳明月", "买买提·吐尔逊"];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Everything an error shows, on every surface.
fn shown(e: &Error) -> String {
    format!("{}\n{e}\n{e:?}\n{}", e.to_json(), e.message())
}

fn assert_private(what: &str, text: &str) {
    for id in IDS {
        assert!(
            !text.contains(id) && !text.contains(&id.to_ascii_uppercase()),
            "{what}: resident ID {id} unmasked in:\n{text}"
        );
    }
    for name in NAMES {
        assert!(
            !text.contains(name),
            "{what}: name {name} unmasked in:\n{text}"
        );
    }
}

fn expect_err<T: std::fmt::Debug>(what: &str, r: eduaid::Result<T>) -> Error {
    match r {
        Ok(v) => {
            let shown: String = format!("{v:?}").chars().take(300).collect();
            panic!("{what}: expected an error, got {shown}")
        }
        Err(e) => {
            assert_private(what, &shown(&e));
            e
        }
    }
}

const BASE: &str = r#""stage":"primary","grade":1,"hukou":"rural","household":{"statuses":[]}"#;

#[test]
fn profile_errors_never_show_an_id_or_a_name() {
    let mut texts = Vec::new();
    for id in IDS {
        let number = id.trim_end_matches(['X', 'x']);
        texts.extend([
            format!(r#"{{"resident_id":{number},{BASE}}}"#),
            format!(r#"{{"{id}":1,{BASE}}}"#),
            format!(r#"{{"stage":"{id}","grade":1,"hukou":"rural","household":{{"statuses":[]}}}}"#),
            format!(r#"{{"stage":"primary","grade":{number},"hukou":"rural","household":{{"statuses":[]}}}}"#),
            format!(r#"{{"stage":"primary","grade":1,"hukou":"rural","household":{{"statuses":["{id}"]}}}}"#),
            format!(r#"{{"hukou_region":"{id}",{BASE}}}"#),
            format!(r#"{{"school_region":"{id}",{BASE}}}"#),
            format!(r#"{{"birth_date":"{id}",{BASE}}}"#),
            format!(r#"{{"student_id":"{}",{BASE}}}"#, id.repeat(10)),
            format!(r#"{{"resident_id":"{}",{BASE}}}"#, id.repeat(3)),
            format!(r#"{{"difficulty_level":"{id}",{BASE}}}"#),
            format!(r#"{{"awards":["{id}"],{BASE}}}"#),
            format!(r#"{{"major":{{"{id}":true}},{BASE}}}"#),
            format!(r#"{{"disability_grade":{number},{BASE}}}"#),
            format!(r#"{{"resident_id":"{id}",{BASE},"x":1}}"#),
            format!(r#"{{"resident_id":"{id}""#),
        ]);
    }
    for name in NAMES {
        texts.extend([
            format!(r#"{{"name":"{name}",{BASE}}}"#),
            format!(r#"{{"stage":"{name}","grade":1,"hukou":"rural","household":{{"statuses":[]}}}}"#),
            format!(r#"{{"stage":"primary","grade":1,"hukou":"{name}","household":{{"statuses":[]}}}}"#),
            format!(r#"{{"stage":"primary","grade":1,"hukou":"rural","household":{{"statuses":["{name}"]}}}}"#),
            format!(r#"{{"institution":"{name}",{BASE}}}"#),
            format!(r#"{{"student_id":"{}",{BASE}}}"#, name.repeat(20)),
        ]);
    }
    for (i, text) in texts.iter().enumerate() {
        let e = expect_err(&format!("profile text {i}"), Profile::from_json(text));
        // The value path (the bindings' dict/object path) too.
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            expect_err(
                &format!("profile value {i}: {e}"),
                Profile::from_value(value),
            );
        }
    }
}

#[test]
fn profiles_carrying_an_id_never_leak_it() {
    let policy = Policy::national();
    for id in IDS {
        let p = Profile::from_json(&format!(
            r#"{{"resident_id":"{id}","student_id":"S1",{BASE}}}"#
        ))
        .unwrap();
        assert_private("Profile Debug", &format!("{p:?}"));
        let a = evaluate(&p, d("2024-10-01"), &policy).unwrap();
        assert_private("assessment", &serde_json::to_string(&a).unwrap());
        assert_private("assessment Debug", &format!("{a:?}"));
        // Errors of a profile holding an ID: the ID is not quoted back.
        let mut bad = p.clone();
        bad.grade = 9;
        expect_err("evaluate", evaluate(&bad, d("2024-10-01"), &policy));
        expect_err("out of coverage", evaluate(&p, d("2015-10-01"), &policy));
        let report =
            RosterReport::of(&[p.clone(), bad], d("2024-10-01"), &policy, Lang::Zh).unwrap();
        assert_private("roster report", &serde_json::to_string(&report).unwrap());
        let html = eduaid::reports::html::roster_page(&report, "资助统计", Lang::Zh);
        assert_private("roster report page", &html);
    }
}

#[test]
fn roster_rows_and_headers_never_show_an_id_or_a_name() {
    let header = Header::new(COLUMNS).unwrap();
    let column = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
    let valid = |row: &mut Vec<String>| {
        row[column("stage")] = "junior_middle".into();
        row[column("grade")] = "2".into();
        row[column("hukou")] = "rural".into();
    };
    let mut n = 0;
    for bad in IDS.iter().chain(NAMES) {
        // The bad value in every column that is checked (a shifted or misfilled cell).
        for target in COLUMNS {
            if matches!(*target, "student_id" | "resident_id") {
                continue;
            }
            let mut row = vec![String::new(); COLUMNS.len()];
            valid(&mut row);
            row[column("resident_id")] = IDS[0].into();
            row[column(target)] = bad.to_string();
            let result = header.profile(&row);
            if let Err(e) = result {
                assert_private(&format!("roster cell {target}={bad}"), &shown(&e));
                n += 1;
            }
        }
        // A roster without a header: its first row is read as the header.
        let first_row = [
            "S-0001",
            bad,
            "2010-01-01",
            "junior_middle",
            "2",
            "true",
            "false",
            "rural",
        ];
        expect_err("headerless roster", Header::new(&first_row));
        expect_err(
            "headerless roster",
            Header::new(&[bad, "stage", "grade", "hukou"]),
        );
    }
    assert!(n > 40, "only {n} roster cells were rejected");
}

#[test]
fn overlay_errors_never_show_an_id() {
    let national = Policy::national();
    for id in IDS {
        let number = id.trim_end_matches(['X', 'x']);
        let texts = [
            format!(r#"{{"overlay": {{"region": "{id}"}}}}"#),
            format!(r#"{{"overlay": {{"region": {number}}}}}"#),
            format!(r#"{{"overlay": {{"region": "150924"}}, "{id}": 1}}"#),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "parameters": {{"150924.{number}": {{"unit": "yuan", "values": []}}}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "parameters": {{"compulsory_living_subsidy.boarder.primary": {{"values": [{{"from": "2020-01-01", "value": {number}, "source": "x"}}]}}}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "parameters": {{"compulsory_living_subsidy.boarder.primary": {{"values": [{{"from": "2020-01-01", "value": "{id}", "source": "x"}}]}}}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "parameters": {{"nutrition_improvement.pilot_regions.national": {{"values": [{{"from": "2020-01-01", "value": ["{id}"], "source": "x"}}]}}}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "parameters": {{"{id}": {{"values": []}}}}}}"#
            ),
            format!(r#"{{"overlay": {{"region": "150924"}}, "sections": {{"{id}": {{}}}}}}"#),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "sections": {{"programs": [{{"id": "{id}", "name_zh": "x", "kind": "waiver", "schedule": "yearly", "basis": "x"}}]}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "sections": {{"programs": [{{"id": "150924.x", "name_zh": "x", "kind": "waiver", "schedule": "yearly", "basis": "x", "when": {{"regions": ["{id}"]}}}}]}}}}"#
            ),
            format!(
                r#"{{"overlay": {{"region": "150924"}}, "sections": {{"programs": [{{"id": "150924.x", "name_zh": "x", "kind": "waiver", "schedule": "yearly", "basis": "x", "when": {{"stages": ["{id}"]}}}}]}}}}"#
            ),
        ];
        for (i, text) in texts.iter().enumerate() {
            expect_err(
                &format!("overlay {i}"),
                national.with_overlay("x.json", text),
            );
        }
    }
    for name in NAMES {
        let text = format!(
            r#"{{"overlay": {{"region": "150924"}}, "sections": {{"programs": [{{"id": "150924.x", "name_zh": "x", "kind": "waiver", "schedule": "yearly", "basis": "x", "when": {{"stages": ["{name}"]}}}}]}}}}"#
        );
        expect_err("overlay stage name", national.with_overlay("x.json", &text));
    }
}

#[test]
fn dropout_errors_never_show_an_id_or_a_name() {
    let policy = Policy::national();
    for id in IDS {
        for text in [
            format!(r#"{{"student_id":"S1","region":"{id}"}}"#),
            format!(r#"{{"student_id":"S1","resident_id":"{id}","birth_date":"{id}"}}"#),
            format!(r#"{{"student_id":"S1","resident_id":"{id}","stage":"{id}"}}"#),
            format!(r#"{{"student_id":"S1","resident_id":"{id}","{id}":1}}"#),
            format!(r#"{{"student_id":"S1","resident_id":"{id}","household_statuses":["{id}"]}}"#),
        ] {
            expect_err("student", Student::from_json(&text));
        }
        for text in [
            format!(r#"{{"type":"{id}","date":"2024-09-12"}}"#),
            format!(
                r#"{{"type":"persuasion_attempt","date":"{id}","actor":"x","outcome":"refused"}}"#
            ),
            format!(
                r#"{{"type":"persuasion_attempt","date":"2024-09-12","actor":"x","outcome":"{id}"}}"#
            ),
        ] {
            expect_err("event", Event::from_json(&text));
        }
    }
    for name in NAMES {
        let text = format!(r#"{{"student_id":"S1","name":"{name}","stage":"{name}"}}"#);
        expect_err("student name", Student::from_json(&text));
        // Not checked yet: an event's unknown enum value is quoted as given (dropout/mod.rs
        // `locate` rewrites the message after json.rs masked it); see the issue-8 report.
    }
    // A case whose student carries an ID and a name: its errors do not quote them.
    let mut student = Student::new("S1", "130431");
    student.resident_id = Some(IDS[0].into());
    student.name = Some(NAMES[0].into());
    student.birth_date = Some(d("2010-05-20"));
    assert_private("dropout Student Debug", &format!("{student:?}"));
    let open = eduaid::dropout::Case::open(
        student.clone(),
        eduaid::dropout::Trigger::Absence {
            first_absent: d("2024-09-02"),
            school_days: 8,
        },
        d("2024-09-11"),
        &policy,
    )
    .unwrap();
    assert_private("dropout Case Debug", &format!("{open:?}"));
    let trigger = eduaid::dropout::Trigger::Absence {
        first_absent: d("2024-09-02"),
        school_days: 1,
    };
    expect_err(
        "case open",
        eduaid::dropout::Case::open(student, trigger, d("2024-09-11"), &policy),
    );
}

#[test]
fn registry_rows_never_show_an_id_or_a_name() {
    let as_of = d("2025-03-01");
    let (mut registry, mut enrolment, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for (i, id) in IDS.iter().enumerate() {
        let name = NAMES[i % NAMES.len()];
        let row = i as u64 + 1;
        let member = format!(
            r#"{{"household_id":"H{i}","resident_id":"{id}","name":"{name}","status":"脱贫户","region":"130431"}}"#
        );
        registry.push(reconcile::member_from_json(row, &member).unwrap());
        let record = format!(
            r#"{{"resident_id":"{id}","name":"{name}","stage":"primary","grade":3,"household_statuses":"dibao"}}"#
        );
        enrolment.push(reconcile::record_from_json(row, &record).unwrap());
        // Rows with the ID or the name in the wrong place.
        for bad in [
            format!(r#"{{"household_id":"H","resident_id":"{id}","status":"{id}"}}"#),
            format!(r#"{{"household_id":"H","resident_id":"{id}","status":"{name}"}}"#),
            format!(
                r#"{{"household_id":"H","resident_id":"{id}","status":"脱贫户","region":"{id}"}}"#
            ),
            format!(r#"{{"household_id":"H","resident_id":"{id}","status":"脱贫户","{id}":"x"}}"#),
        ] {
            let e = expect_err("registry row", reconcile::member_from_json(row, &bad));
            errors.push(reconcile::InputError::new(
                reconcile::Source::Registry,
                row,
                &e,
            ));
        }
        for bad in [
            format!(r#"{{"resident_id":"{id}","stage":"{id}","grade":3}}"#),
            format!(r#"{{"resident_id":"{id}","stage":"{name}","grade":3}}"#),
            format!(r#"{{"resident_id":"{id}","stage":"primary","grade":"{id}"}}"#),
            format!(
                r#"{{"resident_id":"{id}","stage":"primary","grade":3,"school_region":"{id}"}}"#
            ),
        ] {
            let e = expect_err("enrolment row", reconcile::record_from_json(row, &bad));
            errors.push(reconcile::InputError::new(
                reconcile::Source::Enrolment,
                row,
                &e,
            ));
        }
        expect_err(
            "resident_id::validate",
            eduaid::resident_id::validate("resident_id", &format!("{id}0")),
        );
    }
    assert_private("registry Debug", &format!("{registry:?}{enrolment:?}"));
    for lang in [Lang::En, Lang::Zh] {
        let result = reconcile::reconcile(&registry, &enrolment, as_of, lang)
            .with_input_errors(errors.clone());
        assert_private(
            "reconciliation JSON",
            &serde_json::to_string(&result).unwrap(),
        );
        assert_private("reconciliation Debug", &format!("{result:?}"));
        let (_, rows) = result.table();
        assert_private("reconciliation table", &rows.concat().join(","));
    }
}

#[test]
fn size_limits_are_enforced_with_clear_errors() {
    // Profile texts: 64 KiB (profile.rs MAX_PROFILE_BYTES).
    let limit = eduaid::profile::MAX_PROFILE_BYTES;
    let base = format!("{{{BASE}}}");
    let at_limit = format!(
        "{}{}}}",
        &base[..base.len() - 1],
        " ".repeat(limit - base.len())
    );
    assert_eq!(at_limit.len(), limit);
    Profile::from_json(&at_limit).expect("exactly 64 KiB is accepted");
    let over = format!(
        "{}{}}}",
        &base[..base.len() - 1],
        " ".repeat(limit + 1 - base.len())
    );
    let e = Profile::from_json(&over).unwrap_err();
    assert_eq!((e.field(), e.code()), ("", "too_large"));
    assert!(
        e.message().contains("65537") && e.message().contains("65536"),
        "{e}"
    );
    // Overlay texts: 1 MiB.
    let limit = 1024 * 1024;
    let head = r#"{"overlay": {"region": "150924"}, "description": ""#;
    let fill = |n: usize| format!("{head}{}\"}}", "x".repeat(n - head.len() - 2));
    let at_limit = fill(limit);
    assert_eq!(at_limit.len(), limit);
    Policy::national()
        .with_overlay("big.json", &at_limit)
        .expect("exactly 1 MiB is accepted");
    let e = Policy::national()
        .with_overlay("big.json", &fill(limit + 1))
        .unwrap_err();
    assert_eq!(e.code(), "too_large");
    assert!(e.message().contains("big.json"), "{e}");
    // Rosters: at most MAX_ROWS records.
    let max = eduaid::roster::MAX_ROWS;
    assert!(eduaid::roster::check_rows(max).is_ok());
    let e = eduaid::roster::check_rows(max + 1).unwrap_err();
    assert_eq!((e.field(), e.code()), ("", "too_large"));
    // Messages and fields built from input stay short, whatever the input.
    let key = "k".repeat(60_000);
    let e = Profile::from_json(&format!(r#"{{"{key}":1,{BASE}}}"#)).unwrap_err();
    assert!(
        e.message().chars().count() <= 1100,
        "{} chars",
        e.message().len()
    );
    assert!(
        e.field().chars().count() <= 300,
        "{} chars",
        e.field().len()
    );
}
