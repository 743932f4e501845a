//! The other requests read from outside JSON — loan schedules, grassroots compensation,
//! school public funds, teacher allowances, care schedules — parsed and computed under the
//! national policy or a shipped overlay: never panics (no overflow of a huge principal, a
//! year far away, a month range of centuries); a result serializes to JSON.
#![no_main]
use eduaid::{
    care_schedule, grassroots_compensation, loan_schedule, public_funds, teacher_allowances,
    AllowanceRequest, CareRequest, CompensationRequest, FundsRequest, LoanRequest,
};
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let [which, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let policies = common::policies();
    let policy = &policies[usize::from(which >> 4) % policies.len()];
    let json = match (which & 0x0f) % 5 {
        0 => LoanRequest::from_json(text)
            .and_then(|r| loan_schedule(&r, policy))
            .map(|s| serde_json::to_string(&s)),
        1 => CompensationRequest::from_json(text)
            .and_then(|r| grassroots_compensation(&r, policy))
            .map(|s| serde_json::to_string(&s)),
        2 => FundsRequest::from_json(text)
            .and_then(|r| public_funds(&r, policy))
            .map(|s| serde_json::to_string(&s)),
        3 => AllowanceRequest::from_json(text)
            .and_then(|r| teacher_allowances(&r, policy))
            .map(|s| serde_json::to_string(&s)),
        _ => CareRequest::from_json(text)
            .and_then(|r| care_schedule(&r, policy))
            .map(|s| serde_json::to_string(&s)),
    };
    match json {
        Ok(j) => {
            j.expect("a result serializes");
        }
        Err(e) => assert!(
            e.message().len() < 4096,
            "message of {} bytes",
            e.message().len()
        ),
    }
});
