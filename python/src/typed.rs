//! The typed fast path of a roster row: Arrow values straight to the core's
//! [`eduaid::batch::Shape`], without building text cells and a `Profile`.
//!
//! Conversion only, and only for rows in canonical form: every string exactly a word of
//! the vocabulary (no surrounding spaces), booleans as Arrow booleans, numbers in range,
//! region codes of six digits, no duplicate or contradictory list entries. Anything else,
//! valid or not, returns `None` and the row takes the text path (`roster::Header`), which
//! gives it the CSV defaults and the column-named error. So this path decides nothing: a
//! row it accepts gets the same shape as through the text path (checked by
//! `tests/test_tables.py::test_typed_path_equals_text_path`), and every error comes from
//! the core.

use crate::table::Cells;
use eduaid::batch::{region_number, Shape};
use eduaid::profile::{
    is_region_code, Award, DifficultyLevel, HouseholdStatus, Hukou, Institution, NutritionPilot,
    SchoolLocation, Stage, StatusSet,
};

/// The columns of a batch by field (absent columns are `None`: the field's default).
pub struct Fields<'c> {
    student_id: Option<&'c Cells>,
    resident_id: Option<&'c Cells>,
    birth_date: Option<&'c Cells>,
    stage: Option<&'c Cells>,
    grade: Option<&'c Cells>,
    full_time_formal: Option<&'c Cells>,
    boarding: Option<&'c Cells>,
    hukou: Option<&'c Cells>,
    hukou_region: Option<&'c Cells>,
    school_region: Option<&'c Cells>,
    school_location: Option<&'c Cells>,
    nutrition_pilot: Option<&'c Cells>,
    major_agriculture_related: Option<&'c Cells>,
    major_performing_arts: Option<&'c Cells>,
    disability_grade: Option<&'c Cells>,
    household_statuses: Option<&'c Cells>,
    monitoring_risk_removed: Option<&'c Cells>,
    difficulty_level: Option<&'c Cells>,
    awards: Option<&'c Cells>,
    veteran: Option<&'c Cells>,
    has_fixed_salary: Option<&'c Cells>,
    institution: Option<&'c Cells>,
}

impl<'c> Fields<'c> {
    /// Map `(column name, cells)` pairs to fields.
    pub fn new<'n>(columns: impl Iterator<Item = (&'n str, &'c Cells)>) -> Fields<'c> {
        let mut f = Fields {
            student_id: None,
            resident_id: None,
            birth_date: None,
            stage: None,
            grade: None,
            full_time_formal: None,
            boarding: None,
            hukou: None,
            hukou_region: None,
            school_region: None,
            school_location: None,
            nutrition_pilot: None,
            major_agriculture_related: None,
            major_performing_arts: None,
            disability_grade: None,
            household_statuses: None,
            monitoring_risk_removed: None,
            difficulty_level: None,
            awards: None,
            veteran: None,
            has_fixed_salary: None,
            institution: None,
        };
        for (name, cells) in columns {
            let slot = match name {
                "student_id" => &mut f.student_id,
                "resident_id" => &mut f.resident_id,
                "birth_date" => &mut f.birth_date,
                "stage" => &mut f.stage,
                "grade" => &mut f.grade,
                "full_time_formal" => &mut f.full_time_formal,
                "boarding" => &mut f.boarding,
                "hukou" => &mut f.hukou,
                "hukou_region" => &mut f.hukou_region,
                "school_region" => &mut f.school_region,
                "school_location" => &mut f.school_location,
                "nutrition_pilot" => &mut f.nutrition_pilot,
                "major_agriculture_related" => &mut f.major_agriculture_related,
                "major_performing_arts" => &mut f.major_performing_arts,
                "disability_grade" => &mut f.disability_grade,
                "household_statuses" => &mut f.household_statuses,
                "monitoring_risk_removed" => &mut f.monitoring_risk_removed,
                "difficulty_level" => &mut f.difficulty_level,
                "awards" => &mut f.awards,
                "veteran" => &mut f.veteran,
                "has_fixed_salary" => &mut f.has_fixed_salary,
                "institution" => &mut f.institution,
                _ => continue,
            };
            *slot = Some(cells);
        }
        f
    }

    /// The shape and student id of `row`, or `None` when the row must take the text path.
    pub fn shape(&self, row: usize) -> Option<(Shape, &'c str)> {
        let stage = Stage::parse("", text(self.stage, row)??).ok()?;
        let grade = small_int(self.grade, row)??;
        if !(1..=stage.max_grade()).contains(&grade) {
            return None;
        }
        let hukou = Hukou::parse("", text(self.hukou, row)??).ok()?;
        let student_id = text(self.student_id, row)?.unwrap_or("");
        if student_id.len() > 128 {
            return None;
        }
        if let Some(id) = text(self.resident_id, row)? {
            if id.chars().count() > 32 {
                return None;
            }
        }
        if !date_ok(self.birth_date, row)? {
            return None;
        }
        let disability_grade = small_int(self.disability_grade, row)?;
        if disability_grade.is_some_and(|g| !(1..=4).contains(&g)) {
            return None;
        }
        let shape = Shape {
            stage,
            grade,
            full_time_formal: flag(self.full_time_formal, row)?.unwrap_or(true),
            boarding: flag(self.boarding, row)?.unwrap_or(false),
            hukou,
            school_location: word(self.school_location, row, SchoolLocation::parse)?,
            nutrition_pilot: word(self.nutrition_pilot, row, NutritionPilot::parse)?,
            agriculture_related: flag(self.major_agriculture_related, row)?.unwrap_or(false),
            performing_arts: flag(self.major_performing_arts, row)?.unwrap_or(false),
            disability_grade,
            statuses: statuses(text(self.household_statuses, row)?)?,
            monitoring_risk_removed: flag(self.monitoring_risk_removed, row)?.unwrap_or(false),
            difficulty_level: word(self.difficulty_level, row, DifficultyLevel::parse)?,
            awards: awards(text(self.awards, row)?)?,
            veteran: flag(self.veteran, row)?.unwrap_or(false),
            has_fixed_salary: flag(self.has_fixed_salary, row)?.unwrap_or(false),
            institution: word(self.institution, row, Institution::parse)?
                .unwrap_or(Institution::Local),
            hukou_region: region(text(self.hukou_region, row)?)?,
            school_region: region(text(self.school_region, row)?)?,
        };
        Some((shape, student_id))
    }
}

/// A string cell: `Some(None)` when absent, null or empty (the default), `Some(Some(s))`
/// for a canonical string, `None` (text path) for anything else.
fn text(cells: Option<&Cells>, row: usize) -> Option<Option<&str>> {
    let Some(cells) = cells else {
        return Some(None);
    };
    let Some((leaf, i)) = cells.resolve(row) else {
        return Some(None);
    };
    let s = leaf.str_at(i)?;
    match s {
        None | Some("") => Some(None),
        Some(s) if s.trim() != s => None,
        Some(s) => Some(Some(s)),
    }
}

fn word<T>(
    cells: Option<&Cells>,
    row: usize,
    parse: fn(&str, &str) -> eduaid::Result<T>,
) -> Option<Option<T>> {
    match text(cells, row)? {
        None => Some(None),
        Some(s) => parse("", s).ok().map(Some),
    }
}

fn flag(cells: Option<&Cells>, row: usize) -> Option<Option<bool>> {
    let Some(cells) = cells else {
        return Some(None);
    };
    let Some((leaf, i)) = cells.resolve(row) else {
        return Some(None);
    };
    leaf.bool_at(i)
}

fn small_int(cells: Option<&Cells>, row: usize) -> Option<Option<u8>> {
    let Some(cells) = cells else {
        return Some(None);
    };
    let Some((leaf, i)) = cells.resolve(row) else {
        return Some(None);
    };
    leaf.small_int_at(i)
}

fn date_ok(cells: Option<&Cells>, row: usize) -> Option<bool> {
    let Some(cells) = cells else {
        return Some(true);
    };
    let Some((leaf, i)) = cells.resolve(row) else {
        return Some(true);
    };
    if leaf.is_date() {
        return Some(true);
    }
    Some(match text(Some(leaf), i)? {
        None => true,
        Some(s) => eduaid::calendar::parse_date("", s).is_ok(),
    })
}

fn statuses(cell: Option<&str>) -> Option<StatusSet> {
    let mut set = StatusSet::default();
    let Some(cell) = cell else { return Some(set) };
    for part in cell.split(',') {
        let status = HouseholdStatus::parse("", part).ok()?;
        if set.contains(status) {
            return None;
        }
        set.insert(status);
    }
    Some(set)
}

fn awards(cell: Option<&str>) -> Option<u8> {
    let Some(cell) = cell else { return Some(0) };
    let mut bits = 0u8;
    for part in cell.split(',') {
        let award = Award::parse("", part).ok()?;
        let bit = 1u8 << Award::ALL.iter().position(|a| *a == award)?;
        if bits & bit != 0 {
            return None;
        }
        bits |= bit;
    }
    let both = [
        Award::NationalScholarship,
        Award::NationalEncouragementScholarship,
    ]
    .iter()
    .filter_map(|a| Award::ALL.iter().position(|x| x == a))
    .fold(0u8, |b, i| b | (1 << i));
    (bits & both != both).then_some(bits)
}

fn region(cell: Option<&str>) -> Option<u32> {
    match cell {
        None => Some(0),
        Some(code) if is_region_code(code) => Some(region_number(code)),
        Some(_) => None,
    }
}
