//! Validation of the typed sections of a policy file (`sections.dropout`, ...): each
//! section belongs to the module that reads it, and that module validates it here, at
//! load, so that a file with an error is rejected whole.

/// Validate section `name` of a layer for `region` (`None` = national). The error is the
/// path inside the section (starting with `.` or `[`, or empty) and a message.
pub(crate) fn validate(
    name: &str,
    value: &serde_json::Value,
    region: Option<&str>,
    parameters: &dyn Fn(&str) -> bool,
) -> Result<(), (String, String)> {
    match name {
        "programs" => crate::rules::validate_section(value, region, parameters).map(|_| ()),
        "allocation" => crate::allocation::validate_section(value),
        "allowances" => crate::allowances::validate_section(value, region, parameters).map(|_| ()),
        "dropout" => crate::dropout::validate_section(value, region),
        _ if !value.is_object() && !value.is_array() => Err((
            String::new(),
            format!("section {name} must be an object or a list"),
        )),
        _ => Ok(()),
    }
}
