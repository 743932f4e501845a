//! Dropout-case events as JSON lines (the first line the student, the rest events), replayed
//! on a case: never panics. Events that parse round-trip; applying the accepted events one
//! by one gives the same case as replaying them (deterministic replay); a case's JSON
//! round-trips and restores; what is due, the ledgers and the case as of any date never
//! panic.
#![no_main]
use eduaid::dropout::{ledger, Case, Event, Student};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let [which, d0, d1, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let policies = common::policies();
    let policy = &policies[usize::from(*which) % policies.len()];
    let mut lines = text.lines();
    let Some(Ok(student)) = lines.next().map(Student::from_json) else {
        return;
    };
    let mut events = Vec::new();
    for line in lines.take(64) {
        if let Ok(event) = Event::from_json(line) {
            let json = serde_json::to_string(&event).expect("event serializes");
            assert_eq!(
                Event::from_json(&json).expect("event JSON parses back"),
                event
            );
            events.push(event);
        }
    }
    // The replay of everything that parsed: an error or a case, never a panic.
    let _ = Case::replay(student.clone(), &events, policy);

    // Apply one by one, keeping the accepted events.
    let Some(Event::Opened { date, trigger }) = events.first().cloned() else {
        return;
    };
    let Ok(mut case) = Case::open(student.clone(), trigger, date, policy) else {
        return;
    };
    for event in events.into_iter().skip(1) {
        if let Ok(next) = case.apply(event, policy) {
            assert!(
                next.events.len() == case.events.len() + 1,
                "one event added"
            );
            case = next;
        }
    }
    let replayed = Case::replay(student, &case.events, policy)
        .unwrap_or_else(|e| panic!("accepted events must replay: {e}"));
    assert_eq!(replayed, case, "replay is deterministic");
    let json = serde_json::to_string(&case).expect("case serializes");
    assert_eq!(Case::from_json(&json).expect("case JSON parses back"), case);
    assert_eq!(Case::restore(&json, policy).expect("a case restores"), case);

    let today = common::date_from(*d0, *d1);
    let _ = case.due(today, policy);
    let _ = case.advance(today, policy);
    let _ = case.priority(today, policy);
    let _ = case.as_of(today, policy);
    let _ = ledger::ledger_of(&case);
    let _ = ledger::event_rows(&case);
    let _ = ledger::case_rows(std::slice::from_ref(&case), today, policy);
});
