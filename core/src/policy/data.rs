//! The embedded national policy files (`core/policy/national/`), one per program family.
//! Adding a family's data: add its file here; nothing else.

/// (file name as shown in errors, text), in load order.
pub(super) const NATIONAL_FILES: &[(&str, &str)] = &[
    (
        "core/policy/national/policy.json",
        include_str!("../../policy/national/policy.json"),
    ),
    (
        "core/policy/national/preschool.json",
        include_str!("../../policy/national/preschool.json"),
    ),
    (
        "core/policy/national/compulsory.json",
        include_str!("../../policy/national/compulsory.json"),
    ),
    (
        "core/policy/national/nutrition.json",
        include_str!("../../policy/national/nutrition.json"),
    ),
    (
        "core/policy/national/high_school.json",
        include_str!("../../policy/national/high_school.json"),
    ),
    (
        "core/policy/national/vocational.json",
        include_str!("../../policy/national/vocational.json"),
    ),
    (
        "core/policy/national/higher.json",
        include_str!("../../policy/national/higher.json"),
    ),
    (
        "core/policy/national/graduate.json",
        include_str!("../../policy/national/graduate.json"),
    ),
    (
        "core/policy/national/loans.json",
        include_str!("../../policy/national/loans.json"),
    ),
    (
        "core/policy/national/loan_schedule.json",
        include_str!("../../policy/national/loan_schedule.json"),
    ),
    (
        "core/policy/national/lpr.json",
        include_str!("../../policy/national/lpr.json"),
    ),
    (
        "core/policy/national/compensation.json",
        include_str!("../../policy/national/compensation.json"),
    ),
    (
        "core/policy/national/funds.json",
        include_str!("../../policy/national/funds.json"),
    ),
    (
        "core/policy/national/allowances.json",
        include_str!("../../policy/national/allowances.json"),
    ),
    (
        "core/policy/national/care.json",
        include_str!("../../policy/national/care.json"),
    ),
    (
        "core/policy/national/poverty.json",
        include_str!("../../policy/national/poverty.json"),
    ),
    (
        "core/policy/national/dropout.json",
        include_str!("../../policy/national/dropout.json"),
    ),
];

/// The region overlays shipped with the library (the five seed systems), by region code:
/// (region, file name as shown in errors, text).
pub(super) const REGION_FILES: &[(&str, &str, &str)] = &[
    (
        "370215",
        "core/policy/regions/370215.json",
        include_str!("../../policy/regions/370215.json"),
    ),
    (
        "130431",
        "core/policy/regions/130431.json",
        include_str!("../../policy/regions/130431.json"),
    ),
    (
        "150924",
        "core/policy/regions/150924.json",
        include_str!("../../policy/regions/150924.json"),
    ),
];
