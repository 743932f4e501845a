//! The policy file format, its parsing and its validation.
//!
//! ```json
//! {
//!   "policy":  { "id": "cn-national", "coverage_start": "2016-09-01" },   // national only
//!   "overlay": { "region": "150924", "name": "兴和县", "source": "seed 002" }, // overlays only
//!   "description": "free text",
//!   "parameters": {
//!     "compulsory_living_subsidy.boarder.primary": {
//!       "description": "...", "unit": "yuan_per_year",
//!       "values": [
//!         { "from": "2016-09-01", "value": "1000.00", "source": "A13a", "mark": "unconfirmed",
//!           "note": "why" },
//!         { "from": "2024-02-01", "value": "1250.00", "source": "A12" }
//!       ]
//!     }
//!   },
//!   "sections": { "dropout": { ... } }
//! }
//! ```
//!
//! A value holds from its `from` until the next value's `from` (or its own `to`,
//! inclusive). In an overlay, `unit` and `description` may be left out: they are the
//! national parameter's. An overlay may only name parameters the policy below it knows,
//! or new ones under its own region prefix (`150924.…`) for its own programs.

use super::Layer;
use crate::json::{clip, line_of, policy_error};
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest overlay text accepted (input size limit).
pub const MAX_OVERLAY_BYTES: usize = 1024 * 1024;

/// The unit of a parameter; it fixes the type of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Yuan per student (or person) per year.
    YuanPerYear,
    /// Yuan per school day.
    YuanPerDay,
    /// Yuan per month.
    YuanPerMonth,
    /// Yuan per term.
    YuanPerTerm,
    /// Yuan, once.
    Yuan,
    /// A number of days.
    Days,
    /// A number of years.
    Years,
    /// A number of pupils.
    Pupils,
    /// Basis points (1/100 of a percent).
    BasisPoints,
    /// A percentage.
    Percent,
    /// A count of something else.
    Count,
    /// True or false (a rule in force or not).
    Flag,
    /// A list of region codes.
    Regions,
}

impl Unit {
    /// Whether values of the unit are money (kept to the fen, shown with two decimals).
    pub fn is_money(self) -> bool {
        matches!(
            self,
            Unit::YuanPerYear
                | Unit::YuanPerDay
                | Unit::YuanPerMonth
                | Unit::YuanPerTerm
                | Unit::Yuan
        )
    }
}

/// The mark of a value that is not a confirmed national figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Not seen in any source (policy-parameters.md): an overridable default only.
    Unconfirmed,
    /// A choice the national rule leaves to provinces, fixed here as a documented default.
    Default,
}

/// A parameter value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A flag.
    Flag(bool),
    /// An amount, a count, a rate (exact decimal).
    Number(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// A list of region codes.
    Regions(Vec<String>),
}

/// One dated value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedValue {
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force, if the value ends without a successor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// The value.
    pub value: ParamValue,
    /// Source tag or document.
    pub source: String,
    /// UNCONFIRMED or default mark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// Why the value is what it is, when that needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A dated parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Parameter {
    /// What the figure is.
    pub description: String,
    /// Its unit.
    pub unit: Unit,
    /// Its values, by ascending `from`.
    pub values: Vec<DatedValue>,
}

impl Parameter {
    /// The value in force on `date`.
    pub fn value_on(&self, date: NaiveDate) -> Option<&DatedValue> {
        let i = self.values.partition_point(|v| v.from <= date);
        let v = self.values.get(i.checked_sub(1)?)?;
        match v.to {
            Some(to) if date > to => None,
            _ => Some(v),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyMeta {
    pub id: String,
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub coverage_start: NaiveDate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OverlayMeta {
    pub region: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValueSpec {
    #[serde(deserialize_with = "crate::calendar::de::date")]
    from: NaiveDate,
    #[serde(default)]
    #[serde(deserialize_with = "crate::calendar::de::option_date")]
    to: Option<NaiveDate>,
    value: serde_json::Value,
    source: String,
    #[serde(default)]
    mark: Option<Mark>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterSpec {
    #[serde(default)]
    description: Option<String>,
    /// Declared by the national policy without a national figure: only regions set it
    /// (e.g. preschool aid amounts, local fees).
    #[serde(default)]
    regional_only: bool,
    #[serde(default)]
    unit: Option<Unit>,
    values: Vec<ValueSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyFile {
    #[serde(default)]
    pub policy: Option<PolicyMeta>,
    #[serde(default)]
    pub overlay: Option<OverlayMeta>,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    parameters: BTreeMap<String, ParameterSpec>,
    #[serde(default)]
    sections: BTreeMap<String, serde_json::Value>,
}

/// A policy file read only from a JSON object (a derived struct also accepts an array of
/// its fields in order; see [`crate::json::object`]).
struct ObjectFile(PolicyFile);

impl<'de> Deserialize<'de> for ObjectFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        crate::json::object(d).map(ObjectFile)
    }
}

/// Parse a policy file's JSON; structural errors name file, line and field.
pub(crate) fn parse(file: &str, text: &str) -> Result<PolicyFile> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed: PolicyFile = serde_path_to_error::deserialize(&mut de)
        .map(|f: ObjectFile| f.0)
        .map_err(|e| policy_error(file, text, e.path().to_string(), e.inner()))?;
    de.end()
        .map_err(|e| policy_error(file, text, String::new(), &e))?;
    // serde keeps the last of two equal keys of a map: a parameter or a program given
    // twice would be silently half-read.
    if let Some((field, line)) = crate::json::duplicate_key(text) {
        return Err(Error::Policy {
            file: file.into(),
            line,
            message: format!(
                "'{}' is given twice in one object; name each key once",
                clip(&field)
            ),
            field,
            code: "duplicate".into(),
        });
    }
    Ok(parsed)
}

fn reject(file: &str, text: &str, field: String, code: &str, message: String) -> Error {
    let line = line_of(text, &field);
    // A file's values may hold what looks like an identity number: never echo one.
    Error::Policy {
        file: file.into(),
        line,
        field: crate::error::bounded(field, crate::error::MAX_FIELD_CHARS),
        code: code.into(),
        message: crate::error::bounded(message, crate::error::MAX_MESSAGE_CHARS),
    }
}

/// Sections a policy file may carry, and the module that validates each.
pub(crate) const KNOWN_SECTIONS: &[&str] =
    &["dropout", "programs", "allowances", "allocation", "targets"];

/// Validate `parsed` and merge it into `layer`. For an overlay, `base` is the policy
/// below it and `region` its region.
pub(crate) fn merge(
    file: &str,
    text: &str,
    layer: &mut Layer,
    parsed: PolicyFile,
    base: Option<&super::Policy>,
    region: Option<&str>,
) -> Result<()> {
    if let Some(region) = region {
        if !crate::profile::is_region_code(region) {
            return Err(reject(
                file,
                text,
                "overlay.region".into(),
                "invalid_region",
                format!(
                    "'{}' is not a six-digit region code (GB/T 2260)",
                    clip(region)
                ),
            ));
        }
    }
    if let Some(meta) = &parsed.policy {
        if meta.id.trim().is_empty() {
            return Err(reject(
                file,
                text,
                "policy.id".into(),
                "empty",
                "the policy id is empty".into(),
            ));
        }
    }
    for (name, spec) in parsed.parameters {
        let at = format!("parameters.{name}");
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
        {
            return Err(reject(
                file,
                text,
                at,
                "invalid_name",
                format!(
                    "parameter name '{}' may hold only a-z, 0-9, '_' and '.'",
                    clip(&name)
                ),
            ));
        }
        if layer.parameters.contains_key(&name) {
            return Err(reject(
                file,
                text,
                at,
                "duplicate",
                format!("parameter {name} is defined twice"),
            ));
        }
        // What the policy below says of this parameter (overlays only).
        let below = base.and_then(|b| {
            b.layers()
                .iter()
                .rev()
                .find_map(|l| l.parameters.get(&name))
                .map(|p| (p.unit, p.description.clone()))
        });
        let own = region.is_some_and(|r| name.starts_with(&format!("{r}.")));
        if base.is_some() && below.is_none() && !own {
            return Err(reject(
                file,
                text,
                at,
                "unknown_parameter",
                format!(
                    "the policy has no parameter '{}'; an overlay may override known parameters or define its own under '{}.'",
                    clip(&name),
                    region.unwrap_or("")
                ),
            ));
        }
        let unit = match (spec.unit, &below) {
            (Some(u), Some((bu, _))) if u != *bu => {
                return Err(reject(
                    file,
                    text,
                    format!("{at}.unit"),
                    "unit_mismatch",
                    format!("unit {u:?} differs from the policy's unit {bu:?} for {name}"),
                ))
            }
            (Some(u), _) => u,
            (None, Some((bu, _))) => *bu,
            (None, None) => {
                return Err(reject(
                    file,
                    text,
                    format!("{at}.unit"),
                    "missing_field",
                    format!("{name} needs a unit"),
                ))
            }
        };
        let description = spec
            .description
            .or_else(|| below.as_ref().map(|(_, d)| d.clone()))
            .unwrap_or_default();
        if spec.values.is_empty() && !(spec.regional_only && base.is_none()) {
            return Err(reject(
                file,
                text,
                format!("{at}.values"),
                "empty",
                format!("{name} has no values"),
            ));
        }
        if spec.regional_only && base.is_some() {
            return Err(reject(
                file,
                text,
                format!("{at}.regional_only"),
                "not_allowed",
                "only the national policy declares regional-only parameters".into(),
            ));
        }
        let mut values: Vec<DatedValue> = Vec::with_capacity(spec.values.len());
        for (i, v) in spec.values.into_iter().enumerate() {
            let vat = format!("{at}.values[{i}]");
            if let Some(prev) = values.last() {
                if v.from <= prev.from {
                    return Err(reject(
                        file,
                        text,
                        format!("{vat}.from"),
                        "not_ascending",
                        format!(
                            "{} is not after the previous value's start {}",
                            v.from, prev.from
                        ),
                    ));
                }
                if prev.to.is_some_and(|to| to >= v.from) {
                    return Err(reject(
                        file,
                        text,
                        format!("{vat}.from"),
                        "overlap",
                        format!(
                            "{} overlaps the previous value, which runs to {:?}",
                            v.from, prev.to
                        ),
                    ));
                }
            }
            if v.to.is_some_and(|to| to < v.from) {
                return Err(reject(
                    file,
                    text,
                    format!("{vat}.to"),
                    "out_of_range",
                    "'to' is before 'from'".into(),
                ));
            }
            if v.source.trim().is_empty() {
                return Err(reject(
                    file,
                    text,
                    format!("{vat}.source"),
                    "missing_source",
                    "every figure needs its source (a tag of policy-parameters.md or a document)"
                        .into(),
                ));
            }
            let value = typed_value(unit, &v.value)
                .map_err(|m| reject(file, text, format!("{vat}.value"), "invalid_value", m))?;
            values.push(DatedValue {
                from: v.from,
                to: v.to,
                value,
                source: v.source,
                mark: v.mark,
                note: v.note,
            });
        }
        layer.parameters.insert(
            name,
            Parameter {
                description,
                unit,
                values,
            },
        );
    }
    for (name, value) in parsed.sections {
        if !KNOWN_SECTIONS.contains(&name.as_str()) {
            return Err(reject(
                file,
                text,
                format!("sections.{name}"),
                "unknown_field",
                format!(
                    "unknown section '{}'; expected one of {}",
                    clip(&name),
                    KNOWN_SECTIONS.join(", ")
                ),
            ));
        }
        if layer.sections.contains_key(&name) {
            return Err(reject(
                file,
                text,
                format!("sections.{name}"),
                "duplicate",
                format!("section {name} is defined twice"),
            ));
        }
        // A section may name parameters defined in this file or in the policy below.
        let known = |param: &str| {
            layer.parameters.contains_key(param)
                || base.is_some_and(|b| b.layers().iter().any(|l| l.parameters.contains_key(param)))
        };
        crate::sections::validate(&name, &value, region, &known).map_err(|(path, m)| {
            reject(
                file,
                text,
                format!("sections.{name}{path}"),
                "invalid_section",
                m,
            )
        })?;
        layer.sections.insert(name, value);
    }
    if !file.is_empty() && !layer.files.iter().any(|f| f == file) {
        layer.files.push(file.to_string());
    }
    Ok(())
}

fn typed_value(unit: Unit, raw: &serde_json::Value) -> std::result::Result<ParamValue, String> {
    use serde_json::Value as J;
    match unit {
        Unit::Flag => match raw {
            J::Bool(b) => Ok(ParamValue::Flag(*b)),
            _ => Err(format!(
                "expected true or false for a flag, found {}",
                clip(&raw.to_string())
            )),
        },
        Unit::Regions => match raw {
            J::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.as_str() {
                        Some(code) if crate::profile::is_region_code(code) => {
                            out.push(code.to_string())
                        }
                        _ => {
                            return Err(format!(
                                "{} is not a six-digit region code",
                                clip(&item.to_string())
                            ))
                        }
                    }
                }
                Ok(ParamValue::Regions(out))
            }
            _ => Err("expected a list of region codes".into()),
        },
        _ => {
            let d: Decimal = match raw {
                J::String(s) => s
                    .trim()
                    .parse()
                    .map_err(|_| format!("'{}' is not a decimal number", clip(s)))?,
                J::Number(n) => n
                    .to_string()
                    .parse()
                    .map_err(|_| format!("{n} is not an exact decimal"))?,
                other => {
                    return Err(format!(
                        "expected a decimal number, found {}",
                        clip(&other.to_string())
                    ))
                }
            };
            if d.is_sign_negative() {
                return Err(format!(
                    "{d} is negative; policy figures are never negative"
                ));
            }
            if unit.is_money() && d.scale() > 2 {
                return Err(format!(
                    "{d} has more than two decimals; money is kept to the fen"
                ));
            }
            if d > Decimal::from(1_000_000_000i64) {
                return Err(format!("{d} is implausibly large (over one billion)"));
            }
            Ok(ParamValue::Number(d))
        }
    }
}
