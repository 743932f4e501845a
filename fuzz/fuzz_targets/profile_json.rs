//! Profile::from_json on any text: never panics; a profile that parses is valid, and
//! Profile → JSON → Profile is the identity.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match eduaid::Profile::from_json(text) {
        Ok(profile) => {
            profile.validate().expect("a parsed profile is valid");
            common::check_profile_round_trip(&profile);
        }
        Err(e) => {
            assert_eq!(e.kind(), eduaid::ErrorKind::InvalidInput, "{e}");
            assert!(!e.message().is_empty());
            // Messages stay short: a profile's text is never echoed back whole.
            assert!(
                e.message().len() < 2048,
                "message of {} bytes",
                e.message().len()
            );
        }
    }
});
