//! The JSON layer of the finance exports (`loanSchedule`, `grassrootsCompensation`,
//! `publicFunds`, `teacherAllowances`, `careSchedule`): the request in, the answer's JSON
//! text out, exactly `serde_json::to_string` of the core's answer. The request is read by
//! the core's own readers (`from_json` for text, `from_value` for a JavaScript object;
//! errors name the field inside it, e.g. `principals[0]`); nothing is decided here.

use crate::text::{to_json, BindingError, Json};
use eduaid::{
    AllowanceRequest, CareRequest, CompensationRequest, FundsRequest, LoanRequest, Policy,
};

/// `loan_schedule`: the year-by-year schedule of a student-loan contract.
pub fn loan_schedule(request: &Json, policy: &Policy) -> Result<String, BindingError> {
    let request = request.read(LoanRequest::from_json, LoanRequest::from_value)?;
    to_json(&eduaid::loan_schedule(&request, policy)?)
}

/// `grassroots_compensation`: the tuition compensation or loan repayment of a graduate
/// serving at the grassroots.
pub fn grassroots_compensation(request: &Json, policy: &Policy) -> Result<String, BindingError> {
    let request = request.read(
        CompensationRequest::from_json,
        CompensationRequest::from_value,
    )?;
    to_json(&eduaid::grassroots_compensation(&request, policy)?)
}

/// `public_funds`: the public funds of a list of schools for a term.
pub fn public_funds(request: &Json, policy: &Policy) -> Result<String, BindingError> {
    let request = request.read(FundsRequest::from_json, FundsRequest::from_value)?;
    to_json(&eduaid::public_funds(&request, policy)?)
}

/// `teacher_allowances`: the allowances of a list of teachers over a span of months.
pub fn teacher_allowances(request: &Json, policy: &Policy) -> Result<String, BindingError> {
    let request = request.read(AllowanceRequest::from_json, AllowanceRequest::from_value)?;
    to_json(&eduaid::teacher_allowances(&request, policy)?)
}

/// `care_schedule`: the care schedule of one student for a term, and what is overdue.
pub fn care_schedule(request: &Json, policy: &Policy) -> Result<String, BindingError> {
    let request = request.read(CareRequest::from_json, CareRequest::from_value)?;
    to_json(&eduaid::care_schedule(&request, policy)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::national;

    const LOAN: &str = r#"{"stage":"undergraduate","contract_date":"2024-09-20","remaining_study_years":4,
        "principals":["20000.00","20000.00","20000.00","20000.00"]}"#;

    #[test]
    fn answers_are_the_core_json_byte_for_byte() {
        let policy = national().unwrap();
        let direct =
            eduaid::loan_schedule(&LoanRequest::from_json(LOAN).unwrap(), &policy).unwrap();
        let direct = serde_json::to_string(&direct).unwrap();
        assert_eq!(
            loan_schedule(&Json::Text(LOAN.into()), &policy).unwrap(),
            direct
        );
        assert_eq!(
            loan_schedule(&Json::Value(LOAN.into()), &policy).unwrap(),
            direct
        );
    }

    #[test]
    fn errors_name_the_field_inside_the_request() {
        let policy = national().unwrap();
        let bad = r#"{"stage":"undergraduate","contract_date":"2024-09-20","remaining_study_years":4,"principals":["x"]}"#;
        for request in [Json::Text(bad.into()), Json::Value(bad.into())] {
            let e = loan_schedule(&request, &policy).unwrap_err();
            assert_eq!((e.kind(), e.field()), ("invalid_input", "principals[0]"));
        }
        let e =
            care_schedule(&Json::Value(r#"{"plan":"eight_ones"}"#.into()), &policy).unwrap_err();
        assert_eq!(e.code(), "missing_field");
        let e = public_funds(&Json::Text("null".into()), &policy).unwrap_err();
        assert_eq!((e.field(), e.code()), ("", "invalid_type"));
    }
}
