//! # eduaid-wasm
//!
//! The JavaScript surface of [`eduaid`], compiled to WebAssembly with `wasm-bindgen`
//! (interface.md, "Entry points", JavaScript column). Build it with `wasm/build.sh`.
//!
//! The binding stays thin: it converts JavaScript values to JSON text, calls the core, and
//! hands the core's JSON back as plain JavaScript objects (money as two-decimal strings,
//! snake_case fields, byte for byte what `serde_json` writes for the Rust types). It decides
//! nothing about aid. Errors become real JavaScript `Error` objects with `kind`, `field` and
//! `code` properties (and `file`, `line` for a rejected overlay).
//!
//! The work is done in [`text`] (evaluation, catalogues), [`dropout`] (dropout cases,
//! detection, reports, metrics) and [`finance`] (loans, compensation, public funds, teacher
//! allowances, care schedules), with JSON text in and out, so it is tested natively too;
//! this module only moves values across the boundary.
//!
//! Panics: the library code denies `unwrap`/`expect`/`panic!`/unchecked indexing, and every
//! export runs inside [`text::guard`] (`catch_unwind`). On `wasm32-unknown-unknown` the
//! standard library aborts on panic, so a panic that slipped through would trap as a
//! `WebAssembly.RuntimeError`; call [`set_panic_hook`] (`setPanicHook()`) to have its
//! message logged to `console.error` first.

#[cfg(feature = "cases")]
pub mod dropout;
#[cfg(feature = "finance")]
pub mod finance;
pub mod text;

use js_sys::{Array, Function, Reflect, JSON};
use text::{guard, BindingError, Evaluation, Json};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;

// The hand-written data shapes (Profile, Assessment, ...) are spliced into the generated
// `.d.ts`, so the typed signatures below can name them.
#[wasm_bindgen(typescript_custom_section)]
const DATA_TYPES: &str = include_str!("../types/eduaid.d.ts");

// ---- Errors ---------------------------------------------------------------------------------

/// Set a property on a freshly made object. Setting on a new, unfrozen `Error` cannot fail;
/// if it somehow did, the error would still carry its message, so the result is ignored.
fn set(target: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

/// A JavaScript `Error` named `EduaidError` with `kind`, `field`, `code` (and for a rejected
/// overlay `file` and `line`), its message the sentence of the core error.
fn js_error(error: &BindingError) -> JsValue {
    let js = js_sys::Error::new(&error.message());
    js.set_name("EduaidError");
    let value: JsValue = js.into();
    set(&value, "kind", error.kind().into());
    set(&value, "field", error.field().into());
    set(&value, "code", error.code().into());
    if let BindingError::Core(eduaid::Error::Policy { file, line, .. }) = error {
        set(&value, "file", file.as_str().into());
        // Lines of a policy file are small; f64 holds them exactly.
        set(&value, "line", JsValue::from_f64(*line as f64));
    }
    value
}

/// Run `f` under [`guard`] and turn its error into a thrown JavaScript `Error`.
fn call<T>(f: impl FnOnce() -> Result<T, BindingError>) -> Result<T, JsValue> {
    guard(f).map_err(|e| js_error(&e))
}

// ---- Values across the boundary -------------------------------------------------------------

/// JSON text → JavaScript value. The text was written by `serde_json`, so `JSON.parse`
/// cannot reject it; if it did, that is a defect.
fn parse(text: &str) -> Result<JsValue, BindingError> {
    JSON::parse(text).map_err(|e| BindingError::Internal {
        code: "serialize",
        message: format!("the result could not be handed to JavaScript: {e:?}"),
    })
}

/// A JavaScript argument as JSON: a string is JSON text as it is (exactly what the other
/// surfaces read), anything else is a value, written with `JSON.stringify`.
fn json_arg(value: &JsValue, what: &str) -> Result<Json, eduaid::Error> {
    if let Some(text) = value.as_string() {
        return Ok(Json::Text(text));
    }
    if value.is_undefined() {
        return Err(eduaid::Error::invalid(
            "",
            "missing",
            format!("the {what} is missing: expected an object or its JSON text"),
        ));
    }
    match JSON::stringify(value) {
        Ok(text) => text.as_string().map(Json::Value).ok_or_else(|| {
            eduaid::Error::invalid(
                "",
                "invalid_type",
                format!("the {what} cannot be written as JSON: expected an object"),
            )
        }),
        Err(_) => Err(eduaid::Error::invalid(
            "",
            "invalid_type",
            format!("the {what} cannot be written as JSON (a cycle, or a BigInt?)"),
        )),
    }
}

/// A JavaScript argument as JSON text (for the core's readers of text only).
fn json_text(value: &JsValue, what: &str) -> Result<String, eduaid::Error> {
    json_arg(value, what).map(Json::into_text)
}

/// A string argument that names a field in errors (`as_of`).
fn string_arg(value: &JsValue, field: &str, expected: &str) -> Result<String, eduaid::Error> {
    value.as_string().ok_or_else(|| {
        eduaid::Error::invalid(
            field,
            "invalid_type",
            format!("{field} must be a string: expected {expected}"),
        )
    })
}

/// An optional string argument (`lang`): `undefined` and `null` mean "not given".
fn optional_string(
    value: &JsValue,
    field: &str,
    expected: &str,
) -> Result<Option<String>, eduaid::Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(value, field, expected).map(Some)
}

/// The policy argument: a `Policy`, or `undefined`/`null` for the embedded national policy.
///
/// wasm-bindgen can only take an optional class argument by value, which would empty the
/// caller's object; so the argument arrives as a plain value and the binding asks it for a
/// second handle (`policy.clone()`, cheap: the data is shared) and takes that one.
fn policy_arg(value: &JsValue) -> Result<eduaid::Policy, eduaid::Error> {
    if value.is_undefined() || value.is_null() {
        return text::national();
    }
    let not_a_policy = || {
        eduaid::Error::invalid(
            "policy",
            "invalid_type",
            "policy must be a Policy (Policy.national(), policy.withOverlay(text)), or omitted",
        )
    };
    let clone = Reflect::get(value, &JsValue::from_str("clone"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(not_a_policy)?;
    let copy = clone.call0(value).map_err(|_| not_a_policy())?;
    Policy::try_from_js_value(copy)
        .map(|p| p.inner)
        .map_err(|_| not_a_policy())
}

/// Parse the arguments shared by `evaluate` and `evaluateMany`, then run `f`.
fn with_evaluation<T>(
    as_of: &JsValue,
    policy: &JsValue,
    lang: &JsValue,
    f: impl FnOnce(&Evaluation) -> Result<T, BindingError>,
) -> Result<T, BindingError> {
    let policy = policy_arg(policy)?;
    let as_of = string_arg(as_of, "as_of", "a date YYYY-MM-DD")?;
    let lang = optional_string(lang, "lang", "'zh' or 'en'")?;
    let evaluation = Evaluation::new(&as_of, &policy, lang.as_deref())?;
    f(&evaluation)
}

// ---- Policy ---------------------------------------------------------------------------------

/// The policy (政策): the embedded national policy (`cn-national`) and any region overlays
/// (地方政策) stacked on top. Immutable: `withOverlay` returns a new policy.
#[wasm_bindgen(js_name = Policy)]
#[derive(Debug, Clone)]
pub struct Policy {
    inner: eduaid::Policy,
}

#[wasm_bindgen(js_class = Policy)]
impl Policy {
    /// The embedded national policy, parsed once per page or process.
    pub fn national() -> Result<Policy, JsValue> {
        call(|| Ok(Policy::from(text::national()?)))
    }

    /// A new policy with the overlay in `text` (its JSON text) added on top, validated and
    /// rejected whole on any error (an `EduaidError` of kind `policy_error` naming `file`,
    /// `line` and `field`). `name` labels the text in errors; default `overlay.json`.
    #[wasm_bindgen(js_name = withOverlay)]
    pub fn with_overlay(&self, text: &str, name: Option<String>) -> Result<Policy, JsValue> {
        call(|| {
            let name = name.as_deref().unwrap_or("overlay.json");
            Ok(Policy::from(self.inner.with_overlay(name, text)?))
        })
    }

    /// A second handle on the same policy (cheap: the policy data is shared, not copied).
    #[wasm_bindgen(js_name = clone)]
    pub fn duplicate(&self) -> Policy {
        self.clone()
    }

    /// SHA-256 (hex) of the canonical form of every loaded layer: equal fingerprints, equal
    /// policy data.
    #[wasm_bindgen(getter)]
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }

    /// The policy id, `cn-national`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_string()
    }

    /// The region codes of the loaded overlays, in load order.
    #[wasm_bindgen(getter)]
    pub fn regions(&self) -> Vec<String> {
        self.inner.regions()
    }

    /// The first date the policy answers for (`YYYY-MM-DD`).
    #[wasm_bindgen(getter, js_name = coverageStart)]
    pub fn coverage_start(&self) -> String {
        self.inner.coverage_start().to_string()
    }
}

impl From<eduaid::Policy> for Policy {
    fn from(inner: eduaid::Policy) -> Self {
        Policy { inner }
    }
}

impl From<Policy> for eduaid::Policy {
    fn from(policy: Policy) -> Self {
        policy.inner
    }
}

// ---- Evaluation -----------------------------------------------------------------------------

/// Evaluate one profile as of a date: every program with amount, payments by term and the
/// reasons why or why not (interface.md, "Assessment"). `profile` is an object or its JSON
/// text; `asOf` is `YYYY-MM-DD`; `policy` defaults to the national policy; `lang` (`"en"`
/// by default, or `"zh"`) is the language of the reason messages. Throws an `EduaidError`.
#[wasm_bindgen(unchecked_return_type = "Assessment")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Profile | string")] profile: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_param_type = "IsoDate")] as_of: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang | null")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    call(|| {
        let text = with_evaluation(&as_of, &policy, &lang, |evaluation| {
            let profile = json_arg(&profile, "profile")?;
            evaluation.one(&profile)
        })?;
        parse(&text)
    })
}

/// Like `evaluate`, but returns the assessment's JSON text exactly as the Rust library and
/// the command line write it.
#[wasm_bindgen(js_name = evaluateJson)]
pub fn evaluate_json(
    #[wasm_bindgen(unchecked_param_type = "Profile | string")] profile: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_param_type = "IsoDate")] as_of: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang | null")] lang: JsValue,
) -> Result<String, JsValue> {
    call(|| {
        with_evaluation(&as_of, &policy, &lang, |evaluation| {
            let profile = json_arg(&profile, "profile")?;
            evaluation.one(&profile)
        })
    })
}

/// Evaluate a roster: an array with one envelope per profile, in order, `{ok: assessment}`
/// or `{error: {kind, field, code, message}}`. A bad profile never fails the batch; a bad
/// `asOf`, `policy` or `lang`, or a `profiles` that is not an array, throws.
#[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "Envelope[]")]
pub fn evaluate_many(
    #[wasm_bindgen(unchecked_param_type = "Array<Profile | string>")] profiles: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_param_type = "IsoDate")] as_of: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang | null")] lang: JsValue,
) -> Result<JsValue, JsValue> {
    call(|| {
        if !Array::is_array(&profiles) {
            return Err(eduaid::Error::invalid(
                "profiles",
                "invalid_type",
                "profiles must be an array of profiles",
            )
            .into());
        }
        let items = Array::from(&profiles);
        // One item at a time (evaluate, write, hand over), so a large roster never holds
        // all its results as text in WebAssembly memory at once.
        with_evaluation(&as_of, &policy, &lang, |evaluation| {
            let out = Array::new_with_length(items.length());
            for (index, item) in items.iter().enumerate() {
                let text = evaluation.envelope(json_arg(&item, "profile"))?;
                out.set(index as u32, parse(&text)?);
            }
            Ok(out.into())
        })
    })
}

// ---- Catalogues -----------------------------------------------------------------------------

/// The profile fields a program reads (e.g. `["stage", "grade", "boarding", ...]`), so a
/// form can ask only what matters. Overlay programs are looked up in `policy`. Throws an
/// `EduaidError` (`invalid_input`, field `program`) for an unknown program.
#[wasm_bindgen(js_name = requiredInputs)]
pub fn required_inputs(
    program: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
) -> Result<Vec<String>, JsValue> {
    call(|| {
        let policy = policy_arg(&policy)?;
        Ok(eduaid::required_inputs(program, &policy)?)
    })
}

/// The national program catalogue, in the order of programs.md.
#[wasm_bindgen(unchecked_return_type = "ProgramInfo[]")]
pub fn programs() -> Result<JsValue, JsValue> {
    call(|| parse(&text::programs()?))
}

/// The reason catalogue: every code with its English and Chinese template.
#[wasm_bindgen(unchecked_return_type = "ReasonTemplate[]")]
pub fn reasons() -> Result<JsValue, JsValue> {
    call(|| parse(&text::reasons()?))
}

/// The Chinese labels (`{value: label}`) the core uses for vocabulary values inside `zh`
/// reason messages, e.g. `junior_middle` → `初中`. With `reasons()` a caller can render or
/// translate any reason itself.
#[wasm_bindgen(js_name = zhLabels, unchecked_return_type = "Record<string, string>")]
pub fn zh_labels() -> Result<JsValue, JsValue> {
    call(|| parse(&text::zh_labels()?))
}

/// Render a reason (`code` and `params`, as found in an assessment) in `lang`, exactly as the
/// library renders the `message` of its reasons. An unknown code renders as the code.
#[wasm_bindgen(js_name = renderReason)]
pub fn render_reason(
    code: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] params: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Lang | null")] lang: JsValue,
) -> Result<String, JsValue> {
    call(|| {
        let params = if params.is_undefined() || params.is_null() {
            "{}".to_string()
        } else {
            json_text(&params, "params")?
        };
        let lang = optional_string(&lang, "lang", "'zh' or 'en'")?;
        Ok(text::render_reason(code, &params, lang.as_deref())?)
    })
}

/// The closed vocabularies of the profile (stages, statuses, ...) and each stage's highest
/// grade, for building forms and validating input before evaluating.
#[wasm_bindgen(unchecked_return_type = "Vocabulary")]
pub fn vocabulary() -> Result<JsValue, JsValue> {
    call(|| parse(&text::vocabulary()?))
}

/// The version of the package (the workspace version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---- Dropout cases (控辍保学) ----------------------------------------------------------------

/// The dropout-case exports (feature `cases`, on by default; off in the checker page's build).
#[cfg(feature = "cases")]
mod cases_api {
    use super::*;

    //
    // `eduaid::dropout` wrapped the way `Policy` wraps `eduaid::Policy`: the `Case` class holds
    // the core's case, every method returns a new one (a case is a value), and the data crosses
    // as JSON (interface.md, "dropout case": `Case.open`, `case.apply(event)`, `case.due(today)`,
    // camelCase). The work is in `dropout` (JSON text in and out), so it is tested natively.

    /// An argument that names its own field in errors (`student`, `trigger`): its JSON text,
    /// or the error of turning it into text, named after the argument.
    fn named_json(value: &JsValue, field: &str) -> Result<String, eduaid::Error> {
        json_text(value, field).map_err(|e| dropout::within(e, field))
    }

    /// The optional `region` argument (GB/T 2260 code): `undefined`/`null` mean national only.
    fn region_arg(value: &JsValue) -> Result<String, eduaid::Error> {
        Ok(optional_string(value, "region", "a six-digit region code")?.unwrap_or_default())
    }

    /// One student's dropout case (一人一案, `eduaid::dropout::Case`): the student, how the case
    /// was found, where it stands on the persuasion ladder (劝返), its status and every event.
    /// Immutable: `apply` and `advance` return a new case. Store `toJSON()` (or its events) and
    /// bring it back with `Case.restore` (or `Case.replay`).
    ///
    /// The policy argument is optional everywhere (the national policy by default); pass the
    /// same policy to every call on a case (the ladder in force on the opening date stays with
    /// the case, but reopening windows, visit frequencies and thresholds are read from it).
    #[wasm_bindgen(js_name = Case)]
    #[derive(Debug, Clone)]
    pub struct DropoutCase {
        inner: eduaid::Case,
    }

    impl From<eduaid::Case> for DropoutCase {
        fn from(inner: eduaid::Case) -> Self {
            DropoutCase { inner }
        }
    }

    #[wasm_bindgen(js_class = Case)]
    impl DropoutCase {
        /// Open a case (立案) for `student`, found by `trigger`, on `date` (`YYYY-MM-DD`). The
        /// classification follows from the trigger and the thresholds in force; the case starts
        /// at the first stage of the ladder in force for the student's region. Throws an
        /// `EduaidError` (`case_error` for a child below the threshold or past school age).
        pub fn open(
            #[wasm_bindgen(unchecked_param_type = "Student | string")] student: JsValue,
            #[wasm_bindgen(unchecked_param_type = "Trigger | string")] trigger: JsValue,
            #[wasm_bindgen(unchecked_param_type = "IsoDate")] date: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<DropoutCase, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let student = named_json(&student, "student")?;
                let trigger = named_json(&trigger, "trigger")?;
                let date = string_arg(&date, "date", "a date YYYY-MM-DD")?;
                Ok(dropout::open(&student, &trigger, &date, &policy)?.into())
            })
        }

        /// Rebuild a case from its student and events, the first one `opened`. Errors name the
        /// event: `events[3].to`.
        pub fn replay(
            #[wasm_bindgen(unchecked_param_type = "Student | string")] student: JsValue,
            #[wasm_bindgen(unchecked_param_type = "Array<Event | string>")] events: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<DropoutCase, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let student = named_json(&student, "student")?;
                if !Array::is_array(&events) {
                    return Err(eduaid::Error::invalid(
                        "events",
                        "invalid_type",
                        "events must be an array of events, the first one 'opened'",
                    )
                    .into());
                }
                let items = Array::from(&events)
                    .into_iter()
                    .map(|item| json_text(&item, "event"));
                Ok(dropout::replay(&student, items, &policy)?.into())
            })
        }

        /// A stored case (the object of `toJSON()` or its JSON text), checked against the replay
        /// of its events (`state_mismatch` when it was edited, or the policy's ladder for its
        /// opening date changed).
        pub fn restore(
            #[wasm_bindgen(unchecked_param_type = "CaseData | string")] stored: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<DropoutCase, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let text = json_text(&stored, "case")?;
                Ok(dropout::restore(&text, &policy)?.into())
            })
        }

        /// The case with `event` applied: a new case, this one unchanged. Throws a
        /// `case_error` naming why the event is not allowed (`stage_skipped`,
        /// `event_before_last`, `case_closed`, ...) or an `invalid_input` for a malformed event.
        pub fn apply(
            &self,
            #[wasm_bindgen(unchecked_param_type = "Event | string")] event: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<DropoutCase, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let event = json_text(&event, "event")?;
                Ok(dropout::apply(&self.inner, &event, &policy)?.into())
            })
        }

        /// What is due on the case on `today`: each action with its responsible party, due date
        /// and overdue flag, by due date. A closed case has none.
        #[wasm_bindgen(unchecked_return_type = "Action[]")]
        pub fn due(
            &self,
            #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<JsValue, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let today = string_arg(&today, "today", "a date YYYY-MM-DD")?;
                parse(&dropout::due(&self.inner, &today, &policy)?)
            })
        }

        /// The case with the events the passing of time calls for by `today` applied: an
        /// escalation past a deadline (with an attempt recorded), a lapsed transfer, ageing out.
        pub fn advance(
            &self,
            #[wasm_bindgen(unchecked_param_type = "IsoDate")] today: JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
        ) -> Result<DropoutCase, JsValue> {
            call(|| {
                let policy = policy_arg(&policy)?;
                let today = string_arg(&today, "today", "a date YYYY-MM-DD")?;
                Ok(dropout::advance(&self.inner, &today, &policy)?.into())
            })
        }

        /// The case as a plain object, snake_case, exactly the JSON of the Rust library (so
        /// `JSON.stringify(case)` is the text `Case.restore` reads).
        #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "CaseData")]
        pub fn to_json(&self) -> Result<JsValue, JsValue> {
            call(|| parse(&dropout::case_json(&self.inner)?))
        }
    }

    /// Detection from attendance (考勤): the finding of the run of consecutive unexplained
    /// school days ending on `asOf` under the thresholds in force for `region` (home visit,
    /// suspected dropout or dropout), or `null` below the home-visit threshold. A finding's
    /// `trigger` opens the case: `Case.open(student, finding.trigger, asOf)`.
    #[wasm_bindgen(js_name = detectAbsence, unchecked_return_type = "Finding | null")]
    pub fn detect_absence(
        #[wasm_bindgen(js_name = studentId)] student_id: &str,
        #[wasm_bindgen(unchecked_param_type = "AttendanceRecord[] | string")] records: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "IsoDate")] as_of: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] region: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        call(|| {
            let policy = policy_arg(&policy)?;
            let records = named_json(&records, "records")?;
            let as_of = string_arg(&as_of, "as_of", "a date YYYY-MM-DD")?;
            let region = region_arg(&region)?;
            parse(&dropout::detect_absence(
                student_id, &records, &as_of, &region, &policy,
            )?)
        })
    }

    /// Registry comparison (四查三比对): every child of school age on `asOf` found in no current
    /// enrolment, as a finding (suspected dropout when formerly enrolled, out of school when
    /// never), in the order of `children`.
    #[wasm_bindgen(js_name = compareRegistry, unchecked_return_type = "Finding[]")]
    pub fn compare_registry(
        #[wasm_bindgen(unchecked_param_type = "RegisteredChild[] | string")] children: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Enrolment[] | string")] enrolments: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "IsoDate")] as_of: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        call(|| {
            let policy = policy_arg(&policy)?;
            let children = named_json(&children, "children")?;
            let enrolments = named_json(&enrolments, "enrolments")?;
            let as_of = string_arg(&as_of, "as_of", "a date YYYY-MM-DD")?;
            parse(&dropout::compare_registry(
                &children,
                &enrolments,
                &as_of,
                &policy,
            )?)
        })
    }

    /// The reports `level` (school, county, prefecture, province) owes as of `date` in
    /// `region` (national only when omitted): each rule's next occurrence due on or after the
    /// date, by due date.
    #[wasm_bindgen(js_name = reportsDue, unchecked_return_type = "ReportDue[]")]
    pub fn reports_due(
        #[wasm_bindgen(unchecked_param_type = "Level")] level: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] date: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] region: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        call(|| {
            let policy = policy_arg(&policy)?;
            let level = string_arg(&level, "level", "school, county, prefecture or province")?;
            let date = string_arg(&date, "date", "a date YYYY-MM-DD")?;
            let region = region_arg(&region)?;
            parse(&dropout::reports_due(&level, &date, &region, &policy)?)
        })
    }

    /// The consolidation rate (巩固率) of a cohort graduating in the school year of
    /// `graduation`, against the target in force then for `region` (`target` and
    /// `meets_target` absent when none is).
    #[wasm_bindgen(unchecked_return_type = "Consolidation")]
    pub fn consolidation(
        #[wasm_bindgen(unchecked_param_type = "CohortKind")] cohort: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CohortCounts | string")] counts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate")] graduation: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] region: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        call(|| {
            let policy = policy_arg(&policy)?;
            let cohort = string_arg(&cohort, "cohort", "primary, junior_middle or nine_year")?;
            let counts = named_json(&counts, "counts")?;
            let graduation = string_arg(&graduation, "graduation", "a date YYYY-MM-DD")?;
            let region = region_arg(&region)?;
            parse(&dropout::consolidation(
                &cohort,
                &counts,
                &graduation,
                &region,
                &policy,
            )?)
        })
    }
}

// ---- Finance --------------------------------------------------------------------------------

/// The finance exports (feature `finance`, on by default; off in the checker page's build).
#[cfg(feature = "finance")]
mod finance_api {
    use super::*;

    //
    // The standards beyond per-student entitlements (programs.md): one request object (or its
    // JSON text) in, the core's answer as a plain object out, with its receipt
    // (`parameters_used`). Errors name the field inside the request (`principals[0]`).

    /// Run a finance function of `finance` on a request argument.
    fn finance_call(
        request: &JsValue,
        policy: &JsValue,
        f: fn(&Json, &eduaid::Policy) -> Result<String, BindingError>,
    ) -> Result<JsValue, JsValue> {
        call(|| {
            let policy = policy_arg(policy)?;
            let request = json_arg(request, "request")?;
            parse(&f(&request, &policy)?)
        })
    }

    /// The year-by-year schedule of a national student loan (国家助学贷款): the rate of the
    /// contract, study, grace and repayment years, interest and who pays it.
    #[wasm_bindgen(js_name = loanSchedule, unchecked_return_type = "LoanSchedule")]
    pub fn loan_schedule(
        #[wasm_bindgen(unchecked_param_type = "LoanRequest | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        finance_call(&request, &policy, finance::loan_schedule)
    }

    /// Grassroots-employment tuition compensation or loan repayment (基层就业学费补偿国家助学贷款
    /// 代偿) of one graduate: each year of study, the total and the yearly instalments.
    #[wasm_bindgen(js_name = grassrootsCompensation, unchecked_return_type = "Compensation")]
    pub fn grassroots_compensation(
        #[wasm_bindgen(unchecked_param_type = "CompensationRequest | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        finance_call(&request, &policy, finance::grassroots_compensation)
    }

    /// The public funds (生均公用经费) of a list of compulsory-education schools for one term.
    #[wasm_bindgen(js_name = publicFunds, unchecked_return_type = "FundsReport")]
    pub fn public_funds(
        #[wasm_bindgen(unchecked_param_type = "FundsRequest | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        finance_call(&request, &policy, finance::public_funds)
    }

    /// The allowances (乡村教师生活补助, ...) of a list of teachers over a span of months.
    #[wasm_bindgen(js_name = teacherAllowances, unchecked_return_type = "AllowanceReport")]
    pub fn teacher_allowances(
        #[wasm_bindgen(unchecked_param_type = "AllowanceRequest | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        finance_call(&request, &policy, finance::teacher_allowances)
    }

    /// The care schedule (关爱帮扶: the eight ones, home-teaching visits) of one student for a
    /// term, and what is overdue on `as_of`.
    #[wasm_bindgen(js_name = careSchedule, unchecked_return_type = "CareSchedule")]
    pub fn care_schedule(
        #[wasm_bindgen(unchecked_param_type = "CareRequest | string")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Policy | null")] policy: JsValue,
    ) -> Result<JsValue, JsValue> {
        finance_call(&request, &policy, finance::care_schedule)
    }
}

// ---- Panics ---------------------------------------------------------------------------------

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Optional: log the message of a panic to `console.error` before the WebAssembly trap.
/// Panics are defects (the library denies the constructs that cause them); without the
/// hook a trap still reaches JavaScript as a `WebAssembly.RuntimeError`, only without the
/// message.
#[wasm_bindgen(js_name = setPanicHook)]
pub fn set_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error(&format!(
            "eduaid panicked (a defect, please report it): {info}"
        ));
    }));
}
