//! # eduaid
//!
//! China's education poverty-alleviation policy (教育扶贫; from 2021 巩固拓展教育脱贫攻坚成果)
//! as code: who is eligible for which student-aid program, how much, paid when, and why;
//! with dated national standards embedded and regional overlays on top.
//!
//! Pure functions over plain data: no I/O, no clock, no global state. The date is always an
//! argument; the same input gives the same output on every platform.
//!
//! ```
//! use eduaid::{evaluate, Policy, Profile};
//! let profile = Profile::from_json(r#"{"stage":"junior_middle","grade":2,"boarding":true,
//!   "hukou":"rural","household":{"statuses":["dibao"]}}"#)?;
//! let as_of = chrono::NaiveDate::from_ymd_opt(2024, 10, 1).unwrap();
//! let assessment = evaluate(&profile, as_of, &Policy::national())?;
//! let subsidy = assessment.entitlement("compulsory_living_subsidy").unwrap();
//! assert_eq!(subsidy.annual_amount.unwrap().to_string(), "1500.00");
//! # Ok::<(), eduaid::Error>(())
//! ```

pub mod allocation;
pub mod allowances;
pub mod assessment;
pub mod batch;
pub mod calendar;
pub mod care;
pub mod compensation;
pub mod dropout;
pub mod error;
pub mod funds;
pub mod json;
pub mod loans;
pub mod money;
pub mod policy;
pub mod profile;
pub mod programs;
pub mod reasons;
pub mod reconcile;
pub mod reports;
pub mod resident_id;
pub mod roster;
pub mod rules;
mod sections;
pub mod synth;
pub mod words;

pub use allowances::{teacher_allowances, AllowanceReport, AllowanceRequest};
pub use assessment::{
    evaluate, evaluate_in, evaluate_with, Assessment, Entitlement, NotEligible, Options,
    ParameterUsed, Payment,
};
pub use calendar::{SchoolYear, Season, Term};
pub use care::{care_schedule, CareRequest, CareSchedule};
pub use compensation::{grassroots_compensation, Compensation, CompensationRequest};
pub use dropout::{Action, Case, Event, Student};
pub use error::{Error, ErrorKind, Result};
pub use funds::{public_funds, FundsReport, FundsRequest};
pub use loans::{loan_schedule, LoanRequest, LoanSchedule};
pub use money::Money;
pub use policy::{Policy, PolicyRef};
pub use profile::{
    Award, DifficultyLevel, Household, HouseholdStatus, Hukou, Institution, Major, NutritionPilot,
    Profile, SchoolLocation, Stage,
};
pub use programs::{required_inputs, Kind, ProgramInfo, CATALOGUE};
pub use reasons::{Lang, Reason, Reasons};
