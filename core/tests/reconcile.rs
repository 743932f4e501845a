//! Registry reconciliation and resident IDs: parsing tables (errors naming the column),
//! matching, school-age screening, and masking everywhere.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eduaid::reconcile::{self, reconcile, Source, TableHeader};
use eduaid::resident_id::{self, mask, ResidentId};
use eduaid::synth::{self, SynthConfig};
use eduaid::{HouseholdStatus, Lang, Stage};

fn as_of() -> chrono::NaiveDate {
    synth::sample_as_of()
}

#[test]
fn tables_name_their_columns() {
    let h = TableHeader::registry(&["household_id", "resident_id", "name", "status"]).unwrap();
    let m = h
        .member(3, &["H1", "130431201503100123", "张小明", "脱贫户,低保户"])
        .unwrap();
    assert_eq!(
        m.statuses,
        vec![HouseholdStatus::LiftedOutOfPoverty, HouseholdStatus::Dibao]
    );
    assert_eq!(m.row, 3);
    // Debug never shows the number or the name.
    let debug = format!("{m:?}");
    assert!(
        debug.contains("1304************23") && debug.contains("张**"),
        "{debug}"
    );
    assert!(!debug.contains("130431201503100123") && !debug.contains("张小明"));
    let e = h
        .member(4, &["H1", "130431201503100123", "x", "poor"])
        .unwrap_err();
    assert_eq!(e.field(), "status[0]");
    let e = h.member(4, &["H1", "", "x", "dibao"]).unwrap_err();
    assert_eq!(e.field(), "resident_id");
    assert_eq!(
        TableHeader::registry(&["household_id", "resident_id", "nam", "status"])
            .unwrap_err()
            .field(),
        "nam"
    );
    assert_eq!(
        TableHeader::registry(&["household_id", "name", "status"])
            .unwrap_err()
            .code(),
        "missing_column"
    );
    // A full roster serves as enrolment: its other columns are ignored.
    let h = TableHeader::enrolment(eduaid::roster::COLUMNS).unwrap();
    let p = synth::profile(&SynthConfig::sample_county(), 0);
    let r = h.record(1, &synth::to_row(&p)).unwrap();
    assert_eq!((r.stage, r.grade), (p.stage, p.grade));
    let e = reconcile::record_from_json(
        2,
        r#"{"resident_id":"130431201503100123","stage":"primary","grade":7}"#,
    )
    .unwrap_err();
    assert_eq!(e.field(), "grade");
    let e = reconcile::record_from_json(
        2,
        r#"{"resident_id":"1","stage":"primary","grade":1,"x":{}}"#,
    )
    .unwrap_err();
    assert_eq!(e.field(), "x");
}

#[test]
fn resident_ids_validate_and_mask() {
    let id = resident_id::build(
        "150924",
        chrono::NaiveDate::from_ymd_opt(2012, 2, 29).unwrap(),
        5,
    )
    .unwrap();
    let parsed = ResidentId::parse(&id).unwrap();
    assert_eq!(parsed.age_on(as_of()), 13);
    assert_eq!(parsed.region(), "150924");
    assert_eq!(mask(&id).len(), 18);
    let problem = resident_id::validate("resident_id", "150924201202301234").unwrap_err();
    assert_eq!(problem.code(), "invalid_birth_date");
    assert!(!problem.message().contains("150924201202301234"));
}

#[test]
fn the_sample_registry_reconciles() {
    let (registry, enrolment) = synth::sample_registry(&SynthConfig::sample_county(), 4000);
    let r = reconcile(&registry, &enrolment, as_of(), Lang::En);
    let s = &r.summary;
    assert_eq!(s.registry_members, registry.len() as u64);
    assert_eq!(s.enrolment_records, 4000);
    assert_eq!(s.duplicate_ids, 0, "the sample has unique numbers");
    assert!(s.matched > 200, "{s:?}");
    assert!(s.invalid_ids >= 1, "{s:?}");
    assert!(s.unconfirmed_claims >= 1, "{s:?}");
    assert_eq!(
        s.school_age_members,
        r.matched
            .iter()
            .filter(|m| (6..=15).contains(&m.age))
            .count() as u64
            + s.school_age_not_enrolled
    );
    for n in &r.not_enrolled {
        assert!((6..=15).contains(&n.age));
        assert_eq!(
            n.expected_stage,
            if n.age <= 11 {
                Stage::Primary
            } else {
                Stage::JuniorMiddle
            }
        );
    }
    for u in &r.unconfirmed {
        assert!(["not_in_registry", "status_differs", "risk_removed"].contains(&u.code.as_str()));
    }
    // No number and no name appears unmasked, in JSON or in the CSV table.
    let json = serde_json::to_string(&r).unwrap();
    let (_, rows) = r.table();
    let table: String = rows.iter().flatten().cloned().collect::<Vec<_>>().join("|");
    for m in registry.iter().take(300) {
        assert!(!json.contains(&m.resident_id) && !table.contains(&m.resident_id));
        assert!(!json.contains(&m.name) && !table.contains(&m.name));
    }
    // Deterministic.
    let again = synth::sample_registry(&SynthConfig::sample_county(), 4000);
    assert_eq!(reconcile(&again.0, &again.1, as_of(), Lang::En), r);
    let text = eduaid::reports::text::reconciliation(&r, "Jize", Lang::Zh);
    assert!(text.contains("控辍保学"));
}

#[test]
fn input_errors_are_scrubbed_and_sorted() {
    let errors = vec![
        reconcile::InputError::new(
            Source::Enrolment,
            2,
            &eduaid::Error::invalid("grade", "invalid_type", "'x' is not a whole number"),
        ),
        reconcile::InputError::new(
            Source::Registry,
            9,
            &eduaid::Error::invalid("", "x", "bad cell 130431201503100123"),
        ),
    ];
    let r = reconcile(&[], &[], as_of(), Lang::En).with_input_errors(errors);
    assert_eq!(r.summary.input_errors, 2);
    assert_eq!(r.input_errors[0].source, Source::Registry);
    assert_eq!(r.input_errors[0].message, "bad cell 1304************23");
}
