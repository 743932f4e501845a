//! The dated policy store (政策参数): every figure with its effective dates, unit, source
//! tag and UNCONFIRMED/default mark, kept as JSON data files beside the code
//! (`core/policy/national/*.json`, one per program family), embedded at compile time and
//! validated at load.
//!
//! A [`Policy`] is a stack of layers: the national layer (`cn-national`), then region
//! overlays (地方政策) in the order they were loaded. Looking a parameter up for a student's
//! region walks the overlays that cover the region, most recently loaded first, and falls
//! back to the national value. An overlay value holds from its `from` date; before its
//! first value the national figure applies. An overlay with any error is rejected whole,
//! naming the file, the line and the field.
//!
//! Region codes are GB/T 2260 six-digit codes: an overlay for `130000` (a province) covers
//! every `13xxxx`, one for `130600` (a prefecture) covers every `1306xx`, one for `130431`
//! (a county) covers only itself.
//!
//! This module does no I/O: the caller reads files and hands their text in.

mod data;
mod file;

pub use file::{DatedValue, Mark, ParamValue, Parameter, Unit};

use crate::json::clip;
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, OnceLock};

/// A parameter value in force on a date, with where it came from (one line of the
/// assessment's `parameters_used` receipt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved {
    /// The parameter's name, e.g. `compulsory_living_subsidy.boarder.junior_middle`.
    pub name: String,
    /// The value.
    pub value: ParamValue,
    /// The parameter's unit.
    pub unit: Unit,
    /// The first day of the value.
    pub effective_from: NaiveDate,
    /// The source tag (policy-parameters.md) or document.
    pub source: String,
    /// UNCONFIRMED or default mark, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// The region of the overlay that supplied the value; `None` for the national layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl Resolved {
    /// The value as a decimal (amounts, days, rates); `None` for flags and lists.
    pub fn decimal(&self) -> Option<Decimal> {
        match &self.value {
            ParamValue::Number(d) => Some(*d),
            _ => None,
        }
    }
}

/// A parameter value found in a policy, borrowed (see [`Policy::find`]).
#[derive(Debug, Clone, Copy)]
pub struct Found<'p> {
    /// The region of the overlay that supplied it; `None` for the national layer.
    pub region: Option<&'p str>,
    /// The parameter.
    pub parameter: &'p Parameter,
    /// The dated value in force.
    pub value: &'p DatedValue,
}

impl Found<'_> {
    /// An owned copy, named `name`.
    pub fn resolve(&self, name: &str) -> Resolved {
        Resolved {
            name: name.to_string(),
            value: self.value.value.clone(),
            unit: self.parameter.unit,
            effective_from: self.value.from,
            source: self.value.source.clone(),
            mark: self.value.mark,
            region: self.region.map(str::to_string),
        }
    }
}

/// One layer of a policy: the national policy or one region overlay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layer {
    /// The region the layer covers; `None` for the national layer.
    pub region: Option<String>,
    /// A human name (e.g. `兴和县 Xinghe County`).
    pub name: String,
    /// The file(s) the layer was read from.
    pub files: Vec<String>,
    /// The layer's parameters by name.
    pub parameters: BTreeMap<String, Parameter>,
    /// Other typed sections of the layer (dropout ladder, overlay programs, ...), by
    /// section name, kept as validated JSON for the modules that own them.
    pub sections: BTreeMap<String, serde_json::Value>,
}

impl Layer {
    /// Whether this layer covers `region` (always, for the national layer).
    pub fn covers(&self, region: &str) -> bool {
        match &self.region {
            None => true,
            Some(r) => region_covers(r, region),
        }
    }
}

/// The error of a parameter with no value in force (a defect of the policy data: every
/// national parameter covers the whole coverage), naming the parameter.
pub(crate) fn missing_parameter(name: &str, date: NaiveDate) -> Error {
    Error::Policy {
        file: "policy".into(),
        line: 0,
        field: name.into(),
        code: "missing_parameter".into(),
        message: format!("no value of {} is in force on {date}", clip(name)),
    }
}

/// Whether the division `outer` contains `inner` (GB/T 2260 prefixes).
pub fn region_covers(outer: &str, inner: &str) -> bool {
    if outer == inner {
        return true;
    }
    if let Some(p) = outer.strip_suffix("0000") {
        return p.len() == 2 && inner.starts_with(p);
    }
    if let Some(p) = outer.strip_suffix("00") {
        return p.len() == 4 && inner.starts_with(p);
    }
    false
}

/// The policy: the national layer and the overlays, with a fingerprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    inner: Arc<PolicyInner>,
}

#[derive(Debug, PartialEq)]
struct PolicyInner {
    id: String,
    coverage_start: NaiveDate,
    layers: Vec<Layer>,
    fingerprint: String,
    change_dates: Vec<NaiveDate>,
    /// Every date on which some value of some layer starts (`from`) or stops (the day after
    /// `to`), sorted: between two of them every lookup answers the same.
    breakpoints: Vec<NaiveDate>,
    /// The overlay programs of each layer (same order as `layers`), parsed once here rather
    /// than on every evaluation.
    rule_programs: Vec<Vec<crate::rules::RuleProgram>>,
    /// Every parameter by name, with the layers that set it, top layer first: a lookup
    /// hashes the name once instead of searching each layer's ordered map by comparing it.
    /// Built on the first lookup, so that stacking overlays (each making a policy) and
    /// loading a policy only to check it do not pay for it.
    index: LazyIndex,
}

/// The parameter index, built once on demand.
#[derive(Debug, Default)]
struct LazyIndex(OnceLock<ParameterIndex>);

/// The index is derived from the layers, which policies compare already: whether it was
/// built yet says nothing about the policy.
impl PartialEq for LazyIndex {
    fn eq(&self, _: &LazyIndex) -> bool {
        true
    }
}

type ParameterIndex = HashMap<Box<str>, Vec<(usize, Parameter)>, BuildHasherDefault<NameHasher>>;

fn parameter_index(layers: &[Layer]) -> ParameterIndex {
    let mut index = ParameterIndex::default();
    for (i, layer) in layers.iter().enumerate().rev() {
        for (name, parameter) in &layer.parameters {
            index
                .entry(name.as_str().into())
                .or_default()
                .push((i, parameter.clone()));
        }
    }
    index
}

/// A hasher for parameter names (FxHash's mixing, eight bytes at a time): the names are the
/// policy's own, so no attacker chooses them, and a lookup hashes a name of some forty bytes.
#[derive(Debug, Default, Clone, Copy)]
struct NameHasher(u64);

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(
                <[u8; 8]>::try_from(chunk).unwrap_or_default(),
            ));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        if let Some(slot) = last.get_mut(..rest.len()) {
            slot.copy_from_slice(rest);
        }
        self.add(u64::from_le_bytes(last) ^ (rest.len() as u64));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Summary of a policy for receipts (`assessment.policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PolicyRef {
    /// `cn-national`.
    pub id: String,
    /// The date of the latest change of any figure in force on the as-of date.
    #[serde(deserialize_with = "crate::calendar::de::date")]
    pub version: NaiveDate,
    /// The overlay regions applied.
    pub regions: Vec<String>,
    /// SHA-256 of the canonical form of every loaded layer (hex).
    pub fingerprint: String,
}

impl Policy {
    /// The embedded national policy (`cn-national`), parsed once per process.
    ///
    /// The embedded files are checked by this crate's tests; an error here is a defect of
    /// the build, never of user data, hence the `expect`.
    #[allow(clippy::expect_used)]
    pub fn national() -> Policy {
        static NATIONAL: OnceLock<Policy> = OnceLock::new();
        NATIONAL
            .get_or_init(|| Policy::try_national().expect("the embedded national policy is valid"))
            .clone()
    }

    /// The embedded national policy, or the error that makes it invalid.
    pub fn try_national() -> Result<Policy> {
        let mut layer = Layer {
            region: None,
            name: "cn-national".into(),
            files: Vec::new(),
            parameters: BTreeMap::new(),
            sections: BTreeMap::new(),
        };
        let mut meta = None;
        for (name, text) in data::NATIONAL_FILES {
            let parsed = file::parse(name, text)?;
            if parsed.policy.is_some() {
                meta = parsed.policy.clone();
            }
            file::merge(name, text, &mut layer, parsed, None, None)?;
        }
        let meta = meta.ok_or_else(|| Error::Policy {
            file: "core/policy/national".into(),
            line: 0,
            field: "policy".into(),
            code: "missing_meta".into(),
            message: "no national file has a 'policy' section with id and coverage_start".into(),
        })?;
        Ok(Policy::build(meta.id, meta.coverage_start, vec![layer]))
    }

    fn build(id: String, coverage_start: NaiveDate, layers: Vec<Layer>) -> Policy {
        use sha2::Digest;
        let canonical = serde_json::to_vec(&layers).unwrap_or_default();
        let digest = sha2::Sha256::digest(&canonical);
        let fingerprint = digest.iter().map(|b| format!("{b:02x}")).collect();
        let mut change_dates: Vec<NaiveDate> = layers
            .iter()
            .flat_map(|l| l.parameters.values())
            .flat_map(|p| p.values.iter().map(|v| v.from))
            .collect();
        change_dates.sort();
        change_dates.dedup();
        let mut breakpoints: Vec<NaiveDate> = layers
            .iter()
            .flat_map(|l| l.parameters.values())
            .flat_map(|p| p.values.iter())
            .flat_map(|v| [Some(v.from), v.to.and_then(|t| t.succ_opt())])
            .flatten()
            .collect();
        breakpoints.sort();
        breakpoints.dedup();
        let rule_programs = layers
            .iter()
            .map(|l| match (&l.region, l.sections.get("programs")) {
                // Validated at load: a parse failure cannot happen for a loaded policy.
                (Some(_), Some(value)) => {
                    Vec::<crate::rules::RuleProgram>::deserialize(value).unwrap_or_default()
                }
                _ => Vec::new(),
            })
            .collect();
        Policy {
            inner: Arc::new(PolicyInner {
                id,
                coverage_start,
                layers,
                fingerprint,
                change_dates,
                breakpoints,
                rule_programs,
                index: LazyIndex::default(),
            }),
        }
    }

    /// A new policy with the overlay in `text` added on top. `file` names the text in
    /// errors (a path, or any label). The overlay is validated against this policy and
    /// rejected whole on any error.
    pub fn with_overlay(&self, file: &str, text: &str) -> Result<Policy> {
        if text.len() > file::MAX_OVERLAY_BYTES {
            return Err(Error::Policy {
                file: file.into(),
                line: 0,
                field: String::new(),
                code: "too_large".into(),
                message: format!(
                    "the overlay is {} bytes; the limit is {}",
                    text.len(),
                    file::MAX_OVERLAY_BYTES
                ),
            });
        }
        let parsed = file::parse(file, text)?;
        let Some(meta) = parsed.overlay.clone() else {
            return Err(Error::Policy {
                file: file.into(),
                line: 1,
                field: "overlay".into(),
                code: "missing_field".into(),
                message: "an overlay file needs an 'overlay' section with its region code".into(),
            });
        };
        if parsed.policy.is_some() {
            return Err(Error::Policy {
                file: file.into(),
                line: crate::json::line_of(text, "policy"),
                field: "policy".into(),
                code: "not_allowed".into(),
                message: "an overlay cannot redefine the policy's id or coverage".into(),
            });
        }
        let mut layer = Layer {
            region: Some(meta.region.clone()),
            name: meta.name.clone(),
            files: vec![file.to_string()],
            parameters: BTreeMap::new(),
            sections: BTreeMap::new(),
        };
        file::merge(
            file,
            text,
            &mut layer,
            parsed,
            Some(self),
            Some(&meta.region),
        )?;
        let mut layers = self.inner.layers.clone();
        layers.push(layer);
        Ok(Policy::build(
            self.inner.id.clone(),
            self.inner.coverage_start,
            layers,
        ))
    }

    /// The region codes of the overlays shipped with the library (the seed systems).
    pub fn shipped_regions() -> Vec<&'static str> {
        data::REGION_FILES.iter().map(|(r, _, _)| *r).collect()
    }

    /// The text of a shipped overlay: (file name, JSON text).
    pub fn shipped_overlay(region: &str) -> Option<(&'static str, &'static str)> {
        data::REGION_FILES
            .iter()
            .find(|(r, _, _)| *r == region)
            .map(|(_, f, t)| (*f, *t))
    }

    /// A new policy with the shipped overlay of `region` added (see
    /// [`Policy::shipped_regions`]).
    pub fn with_region(&self, region: &str) -> Result<Policy> {
        let (file, text) = Policy::shipped_overlay(region).ok_or_else(|| {
            Error::invalid(
                "region",
                "unknown_region",
                format!(
                    "no overlay is shipped for region '{}'; shipped: {}",
                    clip(region),
                    Policy::shipped_regions().join(", ")
                ),
            )
        })?;
        self.with_overlay(file, text)
    }

    /// The policy id (`cn-national`).
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The first date the policy answers for.
    pub fn coverage_start(&self) -> NaiveDate {
        self.inner.coverage_start
    }

    /// The fingerprint: SHA-256 (hex) of the canonical form of every layer.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// The layers, national first.
    pub fn layers(&self) -> &[Layer] {
        &self.inner.layers
    }

    /// Each layer with its overlay programs (none for the national layer), national first.
    pub(crate) fn layers_with_programs(
        &self,
    ) -> impl Iterator<Item = (&Layer, &[crate::rules::RuleProgram])> {
        self.inner.layers.iter().enumerate().map(|(i, l)| {
            let programs = self
                .inner
                .rule_programs
                .get(i)
                .map_or(&[][..], Vec::as_slice);
            (l, programs)
        })
    }

    /// The regions of the loaded overlays, in load order.
    pub fn regions(&self) -> Vec<String> {
        self.inner
            .layers
            .iter()
            .filter_map(|l| l.region.clone())
            .collect()
    }

    /// The region assumed for a student whose profile names none: the region of the most
    /// recently loaded overlay, or none (national only).
    pub fn default_region(&self) -> Option<&str> {
        self.inner
            .layers
            .iter()
            .rev()
            .find_map(|l| l.region.as_deref())
    }

    /// Error unless `date` is inside the coverage (`field` names the date's field).
    pub fn check_in_force(&self, field: &str, date: NaiveDate) -> Result<()> {
        if date < self.inner.coverage_start {
            return Err(Error::NotInForce {
                field: field.into(),
                message: format!(
                    "{field} {date} is before {}, the first date policy {} covers",
                    self.inner.coverage_start, self.inner.id
                ),
            });
        }
        Ok(())
    }

    /// The receipt summary for an evaluation in `region` on `as_of`.
    pub fn reference(&self, region: &str, as_of: NaiveDate) -> PolicyRef {
        let version = self
            .inner
            .change_dates
            .iter()
            .rev()
            .find(|d| **d <= as_of)
            .copied()
            .unwrap_or(self.inner.coverage_start);
        PolicyRef {
            id: self.inner.id.clone(),
            version,
            regions: self
                .inner
                .layers
                .iter()
                .filter(|l| l.region.is_some() && l.covers(region))
                .filter_map(|l| l.region.clone())
                .collect(),
            fingerprint: self.inner.fingerprint.clone(),
        }
    }

    /// The value of parameter `name` in force on `date` for a student of `region`
    /// (`""` = no region: national only), or `None` when no layer has one.
    pub fn lookup(&self, name: &str, region: &str, date: NaiveDate) -> Option<Resolved> {
        self.find(name, region, date).map(|f| f.resolve(name))
    }

    /// Like [`Policy::lookup`], borrowing from the policy instead of copying (no allocation):
    /// for callers that read many figures and keep few.
    pub fn find(&self, name: &str, region: &str, date: NaiveDate) -> Option<Found<'_>> {
        self.find_named(name, region, date).map(|(_, f)| f)
    }

    /// Like [`Policy::find`], with the parameter's name as the policy holds it, so that a
    /// receipt can keep the name borrowed instead of copying the caller's.
    pub(crate) fn find_named(
        &self,
        name: &str,
        region: &str,
        date: NaiveDate,
    ) -> Option<(&str, Found<'_>)> {
        let index = self
            .inner
            .index
            .0
            .get_or_init(|| parameter_index(&self.inner.layers));
        let (key, entries) = index.get_key_value(name)?;
        for (i, parameter) in entries {
            let Some(layer) = self.inner.layers.get(*i) else {
                continue;
            };
            if layer.region.is_some() && (region.is_empty() || !layer.covers(region)) {
                continue;
            }
            if let Some(value) = parameter.value_on(date) {
                return Some((
                    key,
                    Found {
                        region: layer.region.as_deref(),
                        parameter,
                        value,
                    },
                ));
            }
        }
        None
    }

    /// Whether every parameter of every layer has the same value in force on `a` and on `b`
    /// (no value starts or stops between them). Then anything decided from the facts of a
    /// profile and the figures of the policy alone decides the same on both dates: an
    /// evaluation uses it to take a term's payment from the as-of decision instead of
    /// deciding again.
    pub fn same_values_on(&self, a: NaiveDate, b: NaiveDate) -> bool {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        // A breakpoint d changes some value from d on; the two dates see the same values
        // unless one lies in (lo, hi].
        let i = self.inner.breakpoints.partition_point(|d| *d <= lo);
        self.inner.breakpoints.get(i).is_none_or(|d| *d > hi)
    }

    /// Like [`Policy::lookup`], but a missing value is an error naming the parameter (a
    /// defect of the policy data: every national parameter covers the whole coverage).
    pub fn require(&self, name: &str, region: &str, date: NaiveDate) -> Result<Resolved> {
        self.lookup(name, region, date)
            .ok_or_else(|| missing_parameter(name, date))
    }

    /// A typed section of the layers covering `region`, most specific first (e.g. the
    /// dropout ladder: the overlay's if any, else the national one).
    pub fn sections(&self, section: &str, region: &str) -> Vec<(&Layer, &serde_json::Value)> {
        self.inner
            .layers
            .iter()
            .rev()
            .filter(|l| l.region.is_none() || (!region.is_empty() && l.covers(region)))
            .filter_map(|l| l.sections.get(section).map(|v| (l, v)))
            .collect()
    }

    /// Every parameter name known to the policy (any layer).
    pub fn parameter_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .inner
            .layers
            .iter()
            .flat_map(|l| l.parameters.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn national_loads_and_has_a_fingerprint() {
        let p = Policy::try_national().unwrap();
        assert_eq!(p.id(), "cn-national");
        assert_eq!(p.coverage_start(), d("2016-09-01"));
        assert_eq!(p.fingerprint().len(), 64);
    }

    #[test]
    fn dated_lookup() {
        let p = Policy::national();
        let v = |date| {
            p.require(
                "compulsory_living_subsidy.boarder.junior_middle",
                "",
                d(date),
            )
            .unwrap()
        };
        assert_eq!(v("2024-01-31").decimal(), Some(Decimal::from(1250)));
        assert_eq!(v("2024-02-01").decimal(), Some(Decimal::from(1500)));
        assert_eq!(v("2024-02-01").source, "A12");
    }

    #[test]
    fn values_are_the_same_between_breakpoints_only() {
        let p = Policy::try_national().unwrap();
        let fresh = Policy::try_national().unwrap();
        // A lookup builds the index; equality is about the layers, not the index.
        let name = "compulsory_living_subsidy.boarder.junior_middle";
        assert!(p.find(name, "", d("2024-10-01")).is_some());
        assert_eq!(p, fresh);
        // The boarder standard rose on 2024-02-01.
        assert!(!p.same_values_on(d("2024-01-31"), d("2024-02-01")));
        assert!(!p.same_values_on(d("2024-02-01"), d("2023-10-01")));
        assert!(p.same_values_on(d("2024-10-01"), d("2024-10-01")));
        // Wherever two dates are said to agree, every parameter agrees on them.
        let days: Vec<NaiveDate> = (0..120)
            .filter_map(|i| d("2016-09-01").checked_add_days(chrono::Days::new(i * 31)))
            .collect();
        for a in &days {
            for b in days.iter().filter(|b| p.same_values_on(*a, **b)) {
                for name in p.parameter_names() {
                    let at = |day| p.find(name, "", day).map(|f| f.value as *const DatedValue);
                    assert_eq!(at(*a), at(*b), "{name} {a} {b}");
                }
            }
        }
    }

    #[test]
    fn regions_nest() {
        assert!(region_covers("130000", "130431"));
        assert!(region_covers("130400", "130431"));
        assert!(!region_covers("130600", "130431"));
        assert!(region_covers("130431", "130431"));
    }

    #[test]
    fn overlay_overrides_from_its_date_and_is_rejected_whole() {
        let p = Policy::national();
        let text = r#"{
  "overlay": { "region": "150924", "name": "test" },
  "parameters": {
    "compulsory_living_subsidy.boarder.primary": {
      "values": [ { "from": "2020-09-01", "value": "1800.00", "source": "test" } ]
    }
  }
}"#;
        let q = p.with_overlay("t.json", text).unwrap();
        let at = |region, date| {
            q.require("compulsory_living_subsidy.boarder.primary", region, d(date))
                .unwrap()
                .decimal()
        };
        assert_eq!(at("150924", "2021-01-01"), Some(Decimal::from(1800)));
        assert_eq!(at("150924", "2019-01-01"), Some(Decimal::from(1000)));
        assert_eq!(at("130431", "2021-01-01"), Some(Decimal::from(1000)));
        assert_ne!(q.fingerprint(), p.fingerprint());

        let bad = text.replace("\"1800.00\"", "\"-5\"");
        let e = q.with_overlay("bad.json", &bad).unwrap_err();
        match e {
            Error::Policy {
                file, line, field, ..
            } => {
                assert_eq!(file, "bad.json");
                assert_eq!(line, 5);
                assert_eq!(
                    field,
                    "parameters.compulsory_living_subsidy.boarder.primary.values[0].value"
                );
            }
            other => panic!("{other:?}"),
        }
        let unknown = text.replace("boarder.primary", "boarder.primray");
        let e = p.with_overlay("u.json", &unknown).unwrap_err();
        assert_eq!(e.code(), "unknown_parameter");
        assert_eq!(e.kind(), crate::ErrorKind::PolicyError);
    }
}
