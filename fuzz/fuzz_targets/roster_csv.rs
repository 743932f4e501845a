//! A roster CSV (split with the `csv` crate, as the CLI does) through roster::Header: never
//! panics; a row that converts is a valid profile, writing it back as a row and reading it
//! again gives the same profile, and it evaluates. Every cell is also checked against the
//! quick recognisers of the Python path: a vocabulary's perfect hash (`recognize`) finds
//! exactly the word a comparison with each word finds, and `is_iso_date` agrees with
//! `iso_date`.
#![no_main]
use eduaid::roster::{Header, COLUMNS};
use eduaid::{evaluate, Profile};
use libfuzzer_sys::fuzz_target;

mod common;

/// The profile as a row of every column (the inverse of Header::profile).
fn to_row(p: &Profile) -> Vec<String> {
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    COLUMNS
        .iter()
        .map(|c| match *c {
            "student_id" => p.student_id.clone(),
            "resident_id" => p.resident_id.clone().unwrap_or_default(),
            "birth_date" => p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            "stage" => p.stage.to_string(),
            "grade" => p.grade.to_string(),
            "full_time_formal" => b(p.full_time_formal),
            "boarding" => b(p.boarding),
            "hukou" => p.hukou.to_string(),
            "hukou_region" => p.hukou_region.clone(),
            "school_region" => p.school_region.clone(),
            "school_location" => p.school_location.map(|v| v.to_string()).unwrap_or_default(),
            "nutrition_pilot" => p.nutrition_pilot.map(|v| v.to_string()).unwrap_or_default(),
            "major_agriculture_related" => b(p.major.agriculture_related),
            "major_performing_arts" => b(p.major.performing_arts),
            "disability_grade" => p
                .disability_grade
                .map(|v| v.to_string())
                .unwrap_or_default(),
            "household_statuses" => p
                .household
                .statuses
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(","),
            "monitoring_risk_removed" => b(p.household.monitoring_risk_removed),
            "difficulty_level" => p
                .difficulty_level
                .map(|v| v.to_string())
                .unwrap_or_default(),
            "awards" => p
                .awards
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(","),
            "veteran" => b(p.veteran),
            "has_fixed_salary" => b(p.has_fixed_salary),
            "institution" => p.institution.to_string(),
            other => panic!("column {other} not handled"),
        })
        .collect()
}

/// `recognize` of each vocabulary against a comparison with each of its words.
fn check_recognizers(cell: &str) {
    use eduaid::profile::*;
    macro_rules! same {
        ($($t:ty),+) => {$(
            assert_eq!(
                <$t>::recognize(cell),
                <$t>::ALL.iter().copied().find(|v| v.as_str() == cell),
                "{} {cell:?}",
                stringify!($t)
            );
        )+};
    }
    same!(
        Stage,
        Hukou,
        HouseholdStatus,
        DifficultyLevel,
        SchoolLocation,
        NutritionPilot,
        Institution,
        Award
    );
    assert_eq!(
        eduaid::calendar::is_iso_date(cell),
        eduaid::calendar::iso_date(cell).is_some(),
        "date {cell:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let Ok(names) = reader.headers().cloned() else {
        return;
    };
    let names: Vec<&str> = names.iter().collect();
    let Ok(header) = Header::new(&names) else {
        return;
    };
    let full = Header::new(COLUMNS).expect("the documented columns");
    let policy = &common::policies()[0];
    let as_of = chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
    for record in reader.records().take(64) {
        let Ok(record) = record else {
            continue;
        };
        let cells: Vec<&str> = record.iter().collect();
        for cell in &cells {
            check_recognizers(cell);
            for part in cell.split(',') {
                check_recognizers(part);
            }
        }
        let Ok(profile) = header.profile(&cells) else {
            continue;
        };
        profile
            .validate()
            .expect("a converted row is a valid profile");
        common::check_profile_round_trip(&profile);
        let row = to_row(&profile);
        let back = full
            .profile(&row)
            .unwrap_or_else(|e| panic!("a written row must read back: {e}\n{row:?}"));
        assert_eq!(back, profile, "row → profile → row → profile");
        let a = evaluate(&profile, as_of, policy).expect("a valid row evaluates");
        common::check_assessment(&profile, &a);
    }
});
