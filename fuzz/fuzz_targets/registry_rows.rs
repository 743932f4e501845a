//! Registry and enrolment rows (JSON lines, as the reconciliation reads them) and
//! resident-ID validation on any text: never panics.
//!
//! Lines starting `R ` are registry members, `E ` enrolment records, anything else a
//! resident ID. A number that validates round-trips and its masked form never holds it; an
//! error message never quotes the text unmasked; `scrub` leaves no run of 15 or more
//! digits; the reconciliation of the rows that parse never panics and never shows a
//! resident ID unmasked (in its JSON, its table or the input errors).
#![no_main]
use eduaid::reconcile::{self, InputError, Source};
use eduaid::resident_id::{self, ResidentId};
use eduaid::Lang;
use libfuzzer_sys::fuzz_target;

mod common;

fn longest_digit_run(s: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

fn check_id(line: &str, date: chrono::NaiveDate) {
    match ResidentId::parse(line) {
        Ok(id) => {
            assert_eq!(id.as_str().len(), 18);
            let again = ResidentId::parse(id.as_str()).expect("a valid number re-parses");
            assert_eq!(again, id);
            assert!(!id.masked().contains(id.as_str()));
            assert!(!format!("{id:?} {id}").contains(id.as_str()));
            let body = id.as_str().as_bytes().get(..17).expect("17 digits");
            let check = resident_id::check_character(body).expect("a check character");
            assert!(id.as_str().ends_with(check));
            assert_eq!(id.region().len(), 6);
            let _ = id.age_on(date);
            let _ = id.is_male();
            match ResidentId::parse_on(line, date) {
                Ok(on) => assert!(on.birth_date() <= date),
                Err(p) => assert!(!p.message.contains(id.as_str()), "{}", p.message),
            }
            let sequence: u16 = id
                .as_str()
                .get(14..17)
                .expect("sequence")
                .parse()
                .expect("digits");
            let rebuilt = resident_id::build(id.region(), id.birth_date(), sequence)
                .expect("a valid number rebuilds");
            assert_eq!(rebuilt, id.as_str());
        }
        Err(p) => {
            // A text holding a run of 6+ digits (a number, or part of one) is never quoted
            // (a masked number shows at most 4 digits in a row).
            let trimmed = line.trim();
            if longest_digit_run(trimmed) >= 6 {
                assert!(!p.message.contains(trimmed), "unmasked: {}", p.message);
            }
            let e = p.into_error("resident_id");
            assert_eq!(e.field(), "resident_id");
        }
    }
    let _ = resident_id::mask(line);
    let _ = resident_id::mask_name(line);
    let scrubbed = resident_id::scrub(line);
    assert!(
        longest_digit_run(&scrubbed) < 15,
        "scrub left digits: {scrubbed}"
    );
}

fuzz_target!(|data: &[u8]| {
    let [d0, d1, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let date = common::date_from(*d0, *d1);
    let (mut registry, mut enrolment, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    // Resident IDs given that look like one (a run of 15+ digits: what `scrub` masks
    // anywhere), and the texts of every other field, which the output may show as they are.
    let (mut ids, mut shown) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().take(48).enumerate() {
        let row = i as u64 + 1;
        if let Some(json) = line.strip_prefix("R ") {
            match reconcile::member_from_json(row, json) {
                Ok(m) => {
                    ids.push(m.resident_id.clone());
                    shown.extend([m.household_id.clone(), m.region.clone()]);
                    registry.push(m);
                }
                Err(e) => errors.push(InputError::new(Source::Registry, row, &e)),
            }
        } else if let Some(json) = line.strip_prefix("E ") {
            match reconcile::record_from_json(row, json) {
                Ok(r) => {
                    ids.push(r.resident_id.clone());
                    shown.extend([
                        r.student_id.clone(),
                        r.school.clone(),
                        r.school_region.clone(),
                        r.hukou_region.clone(),
                    ]);
                    enrolment.push(r);
                }
                Err(e) => errors.push(InputError::new(Source::Enrolment, row, &e)),
            }
        } else {
            check_id(line, date);
        }
    }
    for lang in [Lang::En, Lang::Zh] {
        let result = reconcile::reconcile(&registry, &enrolment, date, lang)
            .with_input_errors(errors.clone());
        let json = serde_json::to_string(&result).expect("serializes");
        let back: reconcile::Reconciliation = serde_json::from_str(&json).expect("parses back");
        assert_eq!(back, result, "Reconciliation JSON round trip");
        let (_, rows) = result.table();
        let table = rows.concat().join("\u{1}");
        let debug = format!("{registry:?}{enrolment:?}");
        for id in &ids {
            let id = id.trim();
            if longest_digit_run(id) < 15 || shown.iter().any(|s| s.contains(id)) {
                continue;
            }
            assert!(
                !json.contains(id),
                "resident ID unmasked in the reconciliation: {json}"
            );
            assert!(!table.contains(id), "resident ID unmasked in the table");
            assert!(!debug.contains(id), "resident ID unmasked in Debug");
        }
    }
});
