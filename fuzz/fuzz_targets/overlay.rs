//! Policy::with_overlay on any text: never panics; an error is a `policy_error` naming the
//! file. An overlay that loads round-trips (its layer written back as an overlay file loads
//! to the same layer and fingerprint), every lookup of the loaded policy answers without
//! panicking, and every valid profile of its region evaluates with sound amounts.
#![no_main]
use chrono::NaiveDate;
use eduaid::{evaluate, ErrorKind, Policy, Profile};
use libfuzzer_sys::fuzz_target;

mod common;

const PROFILES: &[&str] = &[
    r#"{"stage":"junior_middle","grade":2,"boarding":true,"hukou":"rural","household":{"statuses":["dibao"]}}"#,
    r#"{"stage":"primary","grade":3,"hukou":"rural","household":{"statuses":["monitored_marginal"]},"nutrition_pilot":"national"}"#,
    r#"{"stage":"preschool","grade":3,"hukou":"urban","household":{"statuses":[]},"difficulty_level":"relatively"}"#,
    r#"{"stage":"general_high","grade":1,"hukou":"rural","household":{"statuses":["lifted_out_of_poverty"]}}"#,
    r#"{"stage":"secondary_vocational","grade":3,"hukou":"urban","major":{"agriculture_related":true},"household":{"statuses":[]},"difficulty_level":"general"}"#,
    r#"{"stage":"undergraduate","grade":2,"hukou":"rural","household":{"statuses":["tekun"]},"awards":["national_encouragement_scholarship"],"veteran":true}"#,
    r#"{"stage":"doctoral","grade":1,"hukou":"urban","household":{"statuses":[]},"institution":"central","awards":["national_scholarship"]}"#,
    r#"{"stage":"higher_vocational","grade":1,"hukou":"rural","household":{"statuses":["monitored_unstable"]}}"#,
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let national = Policy::national();
    let policy = match national.with_overlay("fuzz.json", text) {
        Ok(p) => p,
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::PolicyError, "{e}");
            assert!(e.message().contains("fuzz.json"), "the file is named: {e}");
            assert!(
                e.message().len() < 4096,
                "message of {} bytes",
                e.message().len()
            );
            return;
        }
    };
    let layer = policy.layers().last().expect("the overlay's layer").clone();
    let region = layer.region.clone().expect("an overlay has a region");

    // Round trip: the loaded layer, written back in the overlay format, loads to the same.
    let written = serde_json::json!({
        "overlay": { "region": region, "name": layer.name },
        "parameters": layer.parameters,
        "sections": layer.sections,
    });
    let again = national
        .with_overlay("fuzz.json", &written.to_string())
        .unwrap_or_else(|e| panic!("a loaded overlay written back must load: {e}\n{written}"));
    assert_eq!(again.layers().last(), Some(&layer), "overlay round trip");
    assert_eq!(
        again.fingerprint(),
        policy.fingerprint(),
        "fingerprint round trip"
    );

    // Lookups never panic.
    let dates = [
        d(2016, 9, 1),
        d(2019, 9, 1),
        d(2021, 1, 1),
        d(2024, 10, 1),
        d(2026, 3, 1),
    ];
    let child = format!("{}01", region.get(..4).unwrap_or("1300"));
    for name in policy.parameter_names() {
        for date in dates {
            for r in ["", region.as_str(), child.as_str(), "999999"] {
                let _ = policy.lookup(name, r, date);
            }
        }
    }
    for section in ["dropout", "programs", "allowances", "allocation", "targets"] {
        let _ = policy.sections(section, &region);
    }
    let _ = eduaid::allowances::rules_for(&policy, &region);
    let _ = eduaid::allocation::rules(&policy, &region);
    let _ = eduaid::dropout::section::SchoolCalendar::new(&policy, &region);
    for date in dates {
        let _ = eduaid::dropout::section::ladder(&policy, &region, date);
        let _ = eduaid::dropout::section::priorities(&policy, &region, date);
        let _ = eduaid::dropout::section::report_rules(&policy, &region, date);
    }

    // Every valid profile of the region evaluates, with sound amounts.
    for text in PROFILES {
        let mut profile = Profile::from_json(text).expect("a seed profile");
        for r in ["", region.as_str()] {
            profile.school_region = r.to_string();
            profile.hukou_region = r.to_string();
            for date in dates {
                let a = evaluate(&profile, date, &policy)
                    .unwrap_or_else(|e| panic!("a loaded overlay broke an evaluation: {e}"));
                common::check_assessment(&profile, &a);
            }
        }
    }
});
