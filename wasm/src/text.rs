//! The JSON-text layer of the binding: every export does its work here, with strings in and
//! strings out, so the whole binding except the JS value conversion runs (and is tested)
//! natively. The JSON produced is exactly `serde_json::to_string` of the core types, so the
//! JavaScript surface returns byte for byte what the Rust and CLI surfaces return.
//!
//! Nothing here decides anything about aid: it parses, calls the core and serialises.

use eduaid::{Error, Lang, Policy, Profile};
use serde::Serialize;

/// What a call can fail with: an error of the core (bad input, bad overlay, date out of
/// coverage), or a defect of the binding itself (never caused by the caller's data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindingError {
    /// An error of the core, reported with its own kind, field and code.
    Core(Error),
    /// A defect: a panic caught where unwinding is possible, or a value that failed to
    /// serialise. Reported with kind `internal_error`.
    Internal {
        /// Stable code: `panic` or `serialize`.
        code: &'static str,
        /// What happened.
        message: String,
    },
}

impl From<Error> for BindingError {
    fn from(e: Error) -> Self {
        BindingError::Core(e)
    }
}

impl BindingError {
    /// The kind, as in JSON (`internal_error` for defects).
    pub fn kind(&self) -> &'static str {
        match self {
            BindingError::Core(e) => e.kind().as_str(),
            BindingError::Internal { .. } => "internal_error",
        }
    }

    /// The path of the offending field (`""` for defects).
    pub fn field(&self) -> &str {
        match self {
            BindingError::Core(e) => e.field(),
            BindingError::Internal { .. } => "",
        }
    }

    /// The stable code of the problem.
    pub fn code(&self) -> &str {
        match self {
            BindingError::Core(e) => e.code(),
            BindingError::Internal { code, .. } => code,
        }
    }

    /// The sentence a person can act on.
    pub fn message(&self) -> String {
        match self {
            BindingError::Core(e) => e.message(),
            BindingError::Internal { message, .. } => message.clone(),
        }
    }

    /// The error envelope body `{kind, field, code, message}`, as the CLI writes it.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            BindingError::Core(e) => e.to_json(),
            BindingError::Internal { code, message } => serde_json::json!({
                "kind": "internal_error",
                "field": "",
                "code": code,
                "message": message,
            }),
        }
    }

    /// An internal error from the payload of a caught panic.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        BindingError::Internal {
            code: "panic",
            message: format!("eduaid failed unexpectedly (a defect, please report it): {what}"),
        }
    }
}

/// Run `f`, turning a panic into [`BindingError::Internal`] where the target can unwind.
///
/// On `wasm32-unknown-unknown` the standard library is built with `panic = "abort"`, so
/// there a panic cannot be caught: it traps, and JavaScript receives a
/// `WebAssembly.RuntimeError` (still a real `Error`, never a bare string). The workspace
/// lints deny `unwrap`, `expect`, `panic!` and unchecked indexing in library code, which is
/// what actually keeps panics out; `setPanicHook` logs the message of one that slips through.
pub fn guard<T>(f: impl FnOnce() -> Result<T, BindingError>) -> Result<T, BindingError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(BindingError::from_panic(payload.as_ref())),
    }
}

/// Serialise `value` to JSON text; a failure is a defect of the binding.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, BindingError> {
    serde_json::to_string(value).map_err(|e| BindingError::Internal {
        code: "serialize",
        message: format!("the result could not be serialised: {e}"),
    })
}

/// Parse the `lang` argument: `None` means English, the default of every surface.
pub fn parse_lang(lang: Option<&str>) -> Result<Lang, Error> {
    match lang {
        None => Ok(Lang::En),
        Some(text) => Lang::parse("lang", text),
    }
}

/// A JSON argument as the caller gave it: JSON text (a string), read like the text of the
/// command line with the core's `from_json`; or the JSON of a JavaScript value (an object),
/// read as a value with the core's `from_value` where the core has one, as the Rust API
/// reads a `serde_json::Value`. The two can differ only in an error's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// JSON text given as a string.
    Text(String),
    /// `JSON.stringify` of a JavaScript value.
    Value(String),
}

impl Json {
    /// The JSON text, whichever way it came.
    pub fn into_text(self) -> String {
        match self {
            Json::Text(text) | Json::Value(text) => text,
        }
    }

    /// Read with the core's `from_json` (text) or `from_value` (a value).
    pub fn read<T>(
        &self,
        from_json: impl FnOnce(&str) -> Result<T, Error>,
        from_value: impl FnOnce(serde_json::Value) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match self {
            Json::Text(text) => from_json(text),
            Json::Value(text) => {
                let value = serde_json::from_str(text)
                    .map_err(|e| eduaid::json::path_error(String::new(), &e))?;
                from_value(value)
            }
        }
    }
}

/// The shared arguments of an evaluation, parsed once.
#[derive(Debug, Clone)]
pub struct Evaluation<'p> {
    as_of: chrono::NaiveDate,
    policy: &'p Policy,
    lang: Lang,
}

impl<'p> Evaluation<'p> {
    /// Parse `as_of` (ISO `YYYY-MM-DD`, errors name field `as_of`) and `lang`.
    pub fn new(as_of: &str, policy: &'p Policy, lang: Option<&str>) -> Result<Self, Error> {
        Ok(Evaluation {
            as_of: eduaid::calendar::parse_date("as_of", as_of)?,
            policy,
            lang: parse_lang(lang)?,
        })
    }

    /// Evaluate one profile; the assessment as JSON text.
    pub fn one(&self, profile: &Json) -> Result<String, BindingError> {
        let assessment = self.assess(profile)?;
        to_json(&assessment)
    }

    fn assess(&self, profile: &Json) -> Result<eduaid::Assessment, Error> {
        let profile = profile.read(Profile::from_json, Profile::from_value)?;
        eduaid::evaluate_in(&profile, self.as_of, self.policy, self.lang)
    }

    /// One item of a roster as its envelope's JSON text: `{"ok": assessment}` or
    /// `{"error": {kind, field, code, message}}`. An item that could not even be turned into
    /// JSON text arrives as its error. A bad item never fails the roster; only a defect of
    /// the binding (a failed serialisation) is an `Err`.
    pub fn envelope(&self, item: Result<Json, Error>) -> Result<String, BindingError> {
        match item.and_then(|profile| self.assess(&profile)) {
            Ok(assessment) => to_json(&Envelope::Ok(Box::new(assessment))),
            Err(e) => to_json(&Envelope::Error(e.to_json())),
        }
    }

    /// Evaluate a roster: the envelopes of [`Evaluation::envelope`], in input order.
    pub fn many<I>(&self, profiles: I) -> Result<Vec<String>, BindingError>
    where
        I: IntoIterator<Item = Result<Json, Error>>,
    {
        profiles
            .into_iter()
            .map(|item| self.envelope(item))
            .collect()
    }
}

/// One item of a roster's result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum Envelope {
    Ok(Box<eduaid::Assessment>),
    Error(serde_json::Value),
}

/// The national program catalogue as JSON text.
pub fn programs() -> Result<String, BindingError> {
    to_json(eduaid::CATALOGUE)
}

/// The reason catalogue (code, English and Chinese templates) as JSON text.
pub fn reasons() -> Result<String, BindingError> {
    to_json(eduaid::reasons::CATALOGUE)
}

/// The Chinese labels of the vocabulary values that appear in reason parameters, as a JSON
/// object `{value: label}` (what the core puts in place of a value in a `zh` message).
pub fn zh_labels() -> Result<String, BindingError> {
    let labels: serde_json::Map<String, serde_json::Value> = eduaid::reasons::ZH_LABELS
        .iter()
        .map(|(value, label)| (value.to_string(), (*label).into()))
        .collect();
    to_json(&labels)
}

/// Render reason `code` with `params` (a JSON object of strings) in `lang`, exactly as the
/// core renders the messages of an assessment.
pub fn render_reason(code: &str, params: &str, lang: Option<&str>) -> Result<String, Error> {
    let lang = parse_lang(lang)?;
    let mut de = serde_json::Deserializer::from_str(params);
    let params: std::collections::BTreeMap<String, String> =
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." {
                "params".to_string()
            } else {
                format!("params.{path}")
            };
            eduaid::json::path_error(path, e.inner())
        })?;
    Ok(eduaid::reasons::render(code, &params, lang))
}

/// The closed vocabularies of the profile and the highest grade of each stage, as JSON text.
pub fn vocabulary() -> Result<String, BindingError> {
    use eduaid::{
        Award, DifficultyLevel, HouseholdStatus, Hukou, Institution, NutritionPilot,
        SchoolLocation, Stage,
    };
    let max_grade: serde_json::Map<String, serde_json::Value> = Stage::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.max_grade().into()))
        .collect();
    to_json(&serde_json::json!({
        "stage": Stage::ALL,
        "hukou": Hukou::ALL,
        "household_status": HouseholdStatus::ALL,
        "difficulty_level": DifficultyLevel::ALL,
        "school_location": SchoolLocation::ALL,
        "nutrition_pilot": NutritionPilot::ALL,
        "institution": Institution::ALL,
        "award": Award::ALL,
        "max_grade": max_grade,
    }))
}

/// The embedded national policy, parsed once. Built with `Policy::try_national` rather than
/// `Policy::national` so that even a defective build reports an error instead of panicking.
pub fn national() -> Result<Policy, Error> {
    static NATIONAL: std::sync::OnceLock<Result<Policy, Error>> = std::sync::OnceLock::new();
    NATIONAL.get_or_init(Policy::try_national).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"{"student_id":"S-1","stage":"junior_middle","grade":2,"boarding":true,
        "hukou":"rural","household":{"statuses":["dibao"]}}"#;

    #[test]
    fn output_is_the_core_json_byte_for_byte() {
        let policy = national().unwrap();
        let text = Evaluation::new("2024-10-01", &policy, Some("zh"))
            .unwrap()
            .one(&Json::Text(PROFILE.to_string()))
            .unwrap();
        let profile = Profile::from_json(PROFILE).unwrap();
        let as_of = eduaid::calendar::parse_date("as_of", "2024-10-01").unwrap();
        let direct = eduaid::evaluate_in(&profile, as_of, &policy, Lang::Zh).unwrap();
        assert_eq!(text, serde_json::to_string(&direct).unwrap());
        assert!(text.contains(r#""annual_amount":"1500.00""#), "{text}");
    }

    #[test]
    fn arguments_name_their_field() {
        let policy = national().unwrap();
        let e = Evaluation::new("2024-02-30", &policy, None).unwrap_err();
        assert_eq!((e.field(), e.code()), ("as_of", "invalid_date"));
        let e = Evaluation::new("2024-10-01", &policy, Some("fr")).unwrap_err();
        assert_eq!(e.field(), "lang");
        let e = Evaluation::new("2016-08-31", &policy, None)
            .unwrap()
            .one(&Json::Text(PROFILE.to_string()))
            .unwrap_err();
        assert_eq!((e.kind(), e.field()), ("policy_not_in_force", "as_of"));
    }

    #[test]
    fn a_roster_keeps_going_past_bad_items() {
        let policy = national().unwrap();
        let items = vec![
            Ok(Json::Text(PROFILE.to_string())),
            Ok(Json::Value(r#"{"stage":"primary","grade":1,"hukou":"rural","household":{"statuses":["dibao","dibaoo"]}}"#.to_string())),
            Err(Error::invalid("", "invalid_type", "not JSON")),
        ];
        let texts = Evaluation::new("2024-10-01", &policy, None)
            .unwrap()
            .many(items)
            .unwrap();
        let value: Vec<serde_json::Value> = texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect();
        assert_eq!(value[0]["ok"]["student_id"], "S-1");
        assert_eq!(value[1]["error"]["field"], "household.statuses[1]");
        assert_eq!(value[1]["error"]["kind"], "invalid_input");
        assert_eq!(value[2]["error"]["code"], "invalid_type");
    }

    #[test]
    fn an_object_is_read_as_a_value_and_a_string_as_text() {
        let policy = national().unwrap();
        let evaluation = Evaluation::new("2024-10-01", &policy, None).unwrap();
        assert_eq!(
            evaluation.one(&Json::Value(PROFILE.to_string())).unwrap(),
            evaluation.one(&Json::Text(PROFILE.to_string())).unwrap()
        );
        // A wrong type: `Profile::from_value` (what the Rust API and the corpus runner use
        // for an object) names it `invalid_type`, as the malformed-input corpus expects.
        let wrong = r#"{"stage":1,"grade":1,"hukou":"rural","household":{"statuses":[]}}"#;
        let e = evaluation.one(&Json::Value(wrong.to_string())).unwrap_err();
        assert_eq!((e.field(), e.code()), ("stage", "invalid_type"));
    }

    #[test]
    fn a_panic_becomes_an_internal_error_where_unwinding_is_possible() {
        let e = guard::<()>(|| {
            let v: Vec<u8> = Vec::new();
            let _ = v[1];
            Ok(())
        })
        .unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.field()),
            ("internal_error", "panic", "")
        );
        assert!(
            e.message().contains("index out of bounds"),
            "{}",
            e.message()
        );
        assert_eq!(e.to_json()["kind"], "internal_error");
    }

    #[test]
    fn catalogues_serialise() {
        let programs: serde_json::Value = serde_json::from_str(&programs().unwrap()).unwrap();
        assert_eq!(programs[0]["id"], eduaid::CATALOGUE[0].id);
        let reasons: serde_json::Value = serde_json::from_str(&reasons().unwrap()).unwrap();
        assert!(reasons[0]["zh"].is_string());
        let vocabulary: serde_json::Value = serde_json::from_str(&vocabulary().unwrap()).unwrap();
        assert_eq!(vocabulary["max_grade"]["primary"], 6);
        assert_eq!(vocabulary["household_status"][4], "dibao");
    }
}
