//! Teacher allowances (allowances.rs): the section format is validated at load, naming the
//! file, line and field; remoteness classes, proration and replacement of national rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::{teacher_allowances, AllowanceRequest, Money, Policy};

fn overlay(sections: &str, parameters: &str) -> String {
    format!(
        r#"{{
  "overlay": {{ "region": "130431", "name": "test" }},
  "parameters": {{ {parameters} }},
  "sections": {{ "allowances": {sections} }}
}}"#
    )
}

const PARAMS: &str = r#""130431.teacher_allowance.remote": { "unit": "yuan_per_month", "description": "test",
      "values": [ { "from": "2020-01-01", "value": "300.00", "source": "test figure, not a source" } ] },
    "130431.teacher_allowance.very_remote": { "unit": "yuan_per_month", "description": "test",
      "values": [ { "from": "2020-01-01", "value": "500.00", "source": "test figure, not a source" } ] },
    "130431.teacher_allowance.yearly": { "unit": "yuan_per_year", "description": "test",
      "values": [ { "from": "2020-01-01", "value": "100.00", "source": "test figure, not a source" } ] }"#;

fn report(policy: &Policy, from: &str, to: &str, teachers: &str) -> eduaid::AllowanceReport {
    let request = AllowanceRequest::from_json(&format!(
        r#"{{"from_month": "{from}", "to_month": "{to}", "region": "130431", "teachers": {teachers}}}"#
    ))
    .unwrap();
    teacher_allowances(&request, policy).unwrap()
}

#[test]
fn amounts_by_remoteness_replace_the_national_rule() {
    let text = overlay(
        r#"[ { "id": "130431.rural_living", "name_zh": "乡村教师生活补助", "kind": "cash",
               "basis": "test", "replaces": "rural_teacher_living",
               "amount": { "by_remoteness": { "remote": "130431.teacher_allowance.remote",
                                              "very_remote": "130431.teacher_allowance.very_remote" } } } ]"#,
        PARAMS,
    );
    let policy = Policy::national().with_overlay("t.json", &text).unwrap();
    let r = report(
        &policy,
        "2020-01",
        "2020-12",
        r#"[ {"teacher_id": "a", "school_location": "rural", "remoteness": "remote"},
             {"teacher_id": "b", "school_location": "rural", "remoteness": "very_remote"},
             {"teacher_id": "c", "school_location": "rural"} ]"#,
    );
    assert_eq!(r.teachers[0].cash_total, Money::yuan(3_600));
    assert_eq!(r.teachers[1].cash_total, Money::yuan(6_000));
    assert_eq!(r.teachers[2].cash_total, Money::ZERO);
    assert_eq!(
        r.teachers[2].not_granted.len(),
        1,
        "the national rule is replaced"
    );
    assert_eq!(r.teachers[2].not_granted[0].code, "remoteness_not_covered");
}

#[test]
fn a_region_can_set_the_national_rural_teacher_amount() {
    let text = r#"{
      "overlay": { "region": "130431", "name": "test" },
      "parameters": { "teacher_allowance.rural_teacher_living": {
        "values": [ { "from": "2018-01-01", "value": "200.00", "source": "test figure, not a source" } ] } }
    }"#;
    let policy = Policy::national().with_overlay("t.json", text).unwrap();
    let r = report(
        &policy,
        "2017-07",
        "2018-06",
        r#"[{"teacher_id": "a", "school_location": "rural"}]"#,
    );
    // January to June 2018: 6 × 200.
    assert_eq!(r.teachers[0].cash_total, Money::yuan(1_200));
    assert_eq!(
        r.teachers[0].lines[0].segments[0].from_month.to_string(),
        "2018-01"
    );
}

#[test]
fn yearly_amounts_are_prorated_by_month_half_up() {
    let text = overlay(
        r#"[ { "id": "130431.books", "name_zh": "图书补贴", "kind": "cash", "basis": "test",
               "amount": { "parameter": "130431.teacher_allowance.yearly" } } ]"#,
        PARAMS,
    );
    let policy = Policy::national().with_overlay("t.json", &text).unwrap();
    // 100 × 5 / 12 = 41.666… → 41.67.
    let r = report(
        &policy,
        "2020-01",
        "2020-05",
        r#"[{"teacher_id": "a", "school_location": "city"}]"#,
    );
    assert_eq!(r.teachers[0].lines[0].amount, Money::from_fen(4_167));
}

fn rejected(sections: &str) -> eduaid::Error {
    Policy::national()
        .with_overlay("bad.json", &overlay(sections, PARAMS))
        .unwrap_err()
}

#[test]
fn bad_sections_are_rejected_with_file_line_and_field() {
    let e = rejected(
        r#"[ { "id": "150924.x", "name_zh": "x", "kind": "cash", "basis": "t",
               "amount": { "parameter": "130431.teacher_allowance.remote" } } ]"#,
    );
    match &e {
        eduaid::Error::Policy {
            file, line, field, ..
        } => {
            assert_eq!(file, "bad.json");
            assert_eq!(field, "sections.allowances[0].id");
            assert!(*line > 1);
        }
        other => panic!("{other:?}"),
    }
    let e = rejected(
        r#"[ { "id": "130431.x", "name_zh": "x", "kind": "cash", "basis": "t",
               "amount": { "parameter": "130431.teacher_allowance.nope" } } ]"#,
    );
    assert_eq!(e.field(), "sections.allowances[0].amount.parameter");
    let e = rejected(
        r#"[ { "id": "130431.x", "name_zh": "x", "kind": "cash", "basis": "t", "colour": "red",
               "amount": { "parameter": "130431.teacher_allowance.remote" } } ]"#,
    );
    assert_eq!(e.field(), "sections.allowances[0].colour");
    let e = rejected(
        r#"[ { "id": "130431.x", "name_zh": "x", "kind": "cash", "basis": "t",
               "when": { "recruited_from": 2018, "recruited_to": 2016 },
               "amount": { "parameter": "130431.teacher_allowance.remote" } } ]"#,
    );
    assert_eq!(e.field(), "sections.allowances[0].when.recruited_to");
    let e = rejected(
        r#"[ { "id": "130431.x", "name_zh": "x", "kind": "cash", "basis": "t",
               "amount": { "parameter": "130431.teacher_allowance.remote" } },
             { "id": "130431.x", "name_zh": "x", "kind": "cash", "basis": "t",
               "amount": { "parameter": "130431.teacher_allowance.remote" } } ]"#,
    );
    assert_eq!(e.field(), "sections.allowances[1].id");
    assert_eq!(e.kind(), eduaid::ErrorKind::PolicyError);
}

#[test]
fn the_shipped_seed_overlays_carry_the_allowances() {
    for (region, id) in [
        ("370215", "370215.transport"),
        ("150924", "150924.recruits_2016_2017"),
    ] {
        let policy = Policy::national().with_region(region).unwrap();
        let rules = eduaid::allowances::rules_for(&policy, region);
        assert!(rules.iter().any(|r| r.id == id), "{region}: {id} missing");
    }
}
