//! Rosters as tables: one profile per row in the flattened columns of interface.md
//! ("Rosters as tables"). Only `student_id`, `stage`, `grade`, `hukou` are required; a
//! missing or empty cell takes the profile default. Errors name the column.
//!
//! This module converts cells to a [`Profile`]; splitting CSV text into cells, or reading
//! Arrow arrays, belongs to the caller (the CLI, the Python binding).

use crate::profile::{
    Award, DifficultyLevel, Household, HouseholdStatus, Hukou, Institution, Major, NutritionPilot,
    Profile, SchoolLocation, Stage,
};
use crate::{Error, Result};

/// The columns of a flattened roster, in the documented order.
pub const COLUMNS: &[&str] = &[
    "student_id",
    "resident_id",
    "birth_date",
    "stage",
    "grade",
    "full_time_formal",
    "boarding",
    "hukou",
    "hukou_region",
    "school_region",
    "school_location",
    "nutrition_pilot",
    "major_agriculture_related",
    "major_performing_arts",
    "disability_grade",
    "household_statuses",
    "monitoring_risk_removed",
    "difficulty_level",
    "awards",
    "veteran",
    "has_fixed_salary",
    "institution",
];

/// Most records one roster may hold (input size limit): a county's roster has at most a
/// few hundred thousand students, a province's a few million. Readers that hold a whole
/// file in memory (the CLI's `reconcile`) call [`check_rows`] per record and stop with its
/// error past the limit rather than exhaust memory; readers that stream (the CLI's
/// `evaluate`, `report` and `whatif`, which hold one batch at a time) need no limit, and the
/// bindings take tables and arrays the caller already holds.
pub const MAX_ROWS: u64 = 10_000_000;

/// Error once `row` (the 1-based number of a record, the header excluded) is past
/// [`MAX_ROWS`].
pub fn check_rows(row: u64) -> Result<()> {
    if row > MAX_ROWS {
        return Err(Error::invalid(
            "",
            "too_large",
            format!("the roster has more than {MAX_ROWS} rows; split it (by county or school)"),
        ));
    }
    Ok(())
}

/// Which column of a table holds each field (indexes into a record), resolved once per
/// table from its header.
#[derive(Debug, Clone, Default)]
pub struct Header {
    index: Vec<Option<usize>>,
}

impl Header {
    /// Map a header row. Unknown columns are an error (a misspelt column would otherwise be
    /// silently defaulted); a required column missing is an error.
    pub fn new<S: AsRef<str>>(names: &[S]) -> Result<Header> {
        let mut index = vec![None; COLUMNS.len()];
        for (i, name) in names.iter().enumerate() {
            let name = name.as_ref().trim().trim_start_matches('\u{feff}');
            let Some(col) = COLUMNS.iter().position(|c| *c == name) else {
                return Err(Error::invalid(
                    crate::json::echo(name),
                    "unknown_column",
                    format!(
                        "unknown column '{}'; expected any of {} (is the first line a header?)",
                        crate::json::echo(name),
                        COLUMNS.join(", ")
                    ),
                ));
            };
            if let Some(slot) = index.get_mut(col) {
                if slot.is_some() {
                    return Err(Error::invalid(
                        name,
                        "duplicate",
                        format!("column '{name}' appears twice"),
                    ));
                }
                *slot = Some(i);
            }
        }
        for required in ["stage", "grade", "hukou"] {
            let col = COLUMNS.iter().position(|c| *c == required);
            if col.and_then(|c| index.get(c).copied().flatten()).is_none() {
                return Err(Error::invalid(
                    required,
                    "missing_column",
                    format!("the roster has no '{required}' column"),
                ));
            }
        }
        Ok(Header { index })
    }

    fn cell<'a, S: AsRef<str>>(&self, record: &'a [S], column: &str) -> Option<&'a str> {
        let col = COLUMNS.iter().position(|c| *c == column)?;
        let i = (*self.index.get(col)?)?;
        let v = record.get(i)?.as_ref().trim();
        (!v.is_empty()).then_some(v)
    }

    /// Convert one record (cells in header order) to a validated profile.
    pub fn profile<S: AsRef<str>>(&self, record: &[S]) -> Result<Profile> {
        let cell = |c: &str| self.cell(record, c);
        let required = |c: &str| {
            cell(c).ok_or_else(|| {
                Error::invalid(c, "missing_field", format!("'{c}' is required and empty"))
            })
        };
        let stage = Stage::parse("stage", required("stage")?)?;
        let grade = parse_int("grade", required("grade")?)?;
        let hukou = Hukou::parse("hukou", required("hukou")?)?;
        let mut p = Profile::new(stage, grade, hukou);
        p.student_id = cell("student_id").unwrap_or_default().to_string();
        p.resident_id = cell("resident_id").map(str::to_string);
        if let Some(d) = cell("birth_date") {
            p.birth_date = Some(crate::calendar::parse_date("birth_date", d)?);
        }
        p.full_time_formal =
            opt_bool("full_time_formal", cell("full_time_formal"))?.unwrap_or(true);
        p.boarding = opt_bool("boarding", cell("boarding"))?.unwrap_or(false);
        p.hukou_region = cell("hukou_region").unwrap_or_default().to_string();
        p.school_region = cell("school_region").unwrap_or_default().to_string();
        p.school_location = cell("school_location")
            .map(|v| SchoolLocation::parse("school_location", v))
            .transpose()?;
        p.nutrition_pilot = cell("nutrition_pilot")
            .map(|v| NutritionPilot::parse("nutrition_pilot", v))
            .transpose()?;
        p.major = Major {
            agriculture_related: opt_bool(
                "major_agriculture_related",
                cell("major_agriculture_related"),
            )?
            .unwrap_or(false),
            performing_arts: opt_bool("major_performing_arts", cell("major_performing_arts"))?
                .unwrap_or(false),
        };
        p.disability_grade = cell("disability_grade")
            .map(|v| parse_int("disability_grade", v))
            .transpose()?;
        p.household = Household {
            statuses: list(
                cell("household_statuses"),
                "household_statuses",
                HouseholdStatus::parse,
            )?,
            monitoring_risk_removed: opt_bool(
                "monitoring_risk_removed",
                cell("monitoring_risk_removed"),
            )?
            .unwrap_or(false),
        };
        p.difficulty_level = cell("difficulty_level")
            .map(|v| DifficultyLevel::parse("difficulty_level", v))
            .transpose()?;
        p.awards = list(cell("awards"), "awards", Award::parse)?;
        p.veteran = opt_bool("veteran", cell("veteran"))?.unwrap_or(false);
        p.has_fixed_salary =
            opt_bool("has_fixed_salary", cell("has_fixed_salary"))?.unwrap_or(false);
        p.institution = cell("institution")
            .map(|v| Institution::parse("institution", v))
            .transpose()?
            .unwrap_or(Institution::Local);
        p.validate().map_err(rename_field)?;
        Ok(p)
    }
}

/// Profile field paths → roster column names, so a row's error names its column.
fn rename_field(e: Error) -> Error {
    match e {
        Error::InvalidInput {
            field,
            code,
            message,
        } => {
            let column = if let Some(rest) = field.strip_prefix("household.statuses") {
                format!("household_statuses{rest}")
            } else {
                field
            };
            Error::InvalidInput {
                field: column,
                code,
                message,
            }
        }
        other => other,
    }
}

/// Parse a small integer cell (`2`, or `2.0` as spreadsheets write it).
pub fn parse_int(column: &str, v: &str) -> Result<u8> {
    let trimmed = v.strip_suffix(".0").unwrap_or(v);
    trimmed.parse::<u8>().map_err(|_| {
        Error::invalid(
            column,
            "invalid_type",
            format!(
                "'{}' is not a whole number from 0 to 255",
                crate::json::echo(v)
            ),
        )
    })
}

/// Parse a boolean cell: true/false, 1/0, yes/no (any case).
pub fn opt_bool(column: &str, v: Option<&str>) -> Result<Option<bool>> {
    let Some(v) = v else { return Ok(None) };
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "t" | "y" => Ok(Some(true)),
        "false" | "0" | "no" | "f" | "n" => Ok(Some(false)),
        _ => Err(Error::invalid(
            column,
            "invalid_type",
            format!("'{}' is not a boolean (true/false)", crate::json::echo(v)),
        )),
    }
}

fn list<T>(cell: Option<&str>, column: &str, parse: fn(&str, &str) -> Result<T>) -> Result<Vec<T>> {
    let Some(cell) = cell else {
        return Ok(Vec::new());
    };
    cell.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(i, s)| parse(&format!("{column}[{i}]"), s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_a_row_and_names_bad_columns() {
        let header = Header::new(&[
            "student_id",
            "stage",
            "grade",
            "hukou",
            "household_statuses",
            "boarding",
        ])
        .unwrap();
        let p = header
            .profile(&["S1", "junior_middle", "2", "rural", "dibao,orphan", "true"])
            .unwrap();
        assert_eq!(
            p.household.statuses,
            vec![HouseholdStatus::Dibao, HouseholdStatus::Orphan]
        );
        assert!(p.boarding);
        let e = header
            .profile(&["S1", "junior_middle", "2", "rural", "dibao,dibaoo", ""])
            .unwrap_err();
        assert_eq!(e.field(), "household_statuses[1]");
        let e = header
            .profile(&["S1", "junior_middle", "9", "rural", "", ""])
            .unwrap_err();
        assert_eq!(e.field(), "grade");
        assert!(Header::new(&["stage", "grade"]).is_err());
        assert_eq!(
            Header::new(&["stage", "grade", "hukou", "bogus"])
                .unwrap_err()
                .field(),
            "bogus"
        );
    }
}
