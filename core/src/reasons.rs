//! Reasons (理由): why a program is granted or not, with a stable code, named parameters
//! and a message rendered in Chinese or English.
//!
//! The catalogue ([`CATALOGUE`]) is public, so any caller can render or translate a reason
//! itself. Templates name their parameters in braces (`{stage}`); a reason's `params`
//! supply them. Codes are stable: a code is never renamed or reused for another meaning.

use crate::profile::{DifficultyLevel, HouseholdStatus, Stage};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Language of rendered messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文.
    Zh,
    /// English (the default of the API).
    #[default]
    En,
}

impl Lang {
    /// Parse `zh` or `en`.
    pub fn parse(field: &str, text: &str) -> crate::Result<Lang> {
        match text {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(crate::Error::invalid(
                field,
                "unknown_variant",
                format!(
                    "unknown language '{}'; expected one of zh, en",
                    crate::json::clip(other)
                ),
            )),
        }
    }
}

/// One entry of the catalogue: a code with its two templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReasonTemplate {
    /// The stable code.
    pub code: &'static str,
    /// The English template.
    pub en: &'static str,
    /// The Chinese template.
    pub zh: &'static str,
}

// The templates, one constant each, so that the programs name a reason without a lookup
// by string; [`CATALOGUE`] lists them in their documented order.

// --- grounds that grant --------------------------------------------------------
pub(crate) const STAGE_IN: Template = t(
    "stage_in",
    "the student is in {stage}",
    "学生就读学段为{stage}",
);
pub(crate) const GRADE_IN: Template = t(
    "grade_in",
    "the student is in grade {grade}",
    "学生就读{grade}年级",
);
pub(crate) const EVERY_STUDENT: Template = t(
    "every_student",
    "every student of the stage is covered",
    "该学段全体学生均享受",
);
pub(crate) const BOARDING: Template = t("boarding", "the student boards at school", "学生为寄宿生");
pub(crate) const NON_BOARDER_KEY_GROUP: Template = t(
    "non_boarder_key_group",
    "a non-boarder in a key group is covered from {from}",
    "自{from}起重点保障对象非寄宿生纳入补助范围",
);
pub(crate) const KEY_GROUP: Template = t(
    "key_group",
    "the household is in a key group ({status})",
    "家庭属于重点保障对象（{status}）",
);
pub(crate) const DIFFICULTY_LEVEL: Template = t(
    "difficulty_level",
    "family economic difficulty level: {level}",
    "家庭经济困难等级：{level}",
);
pub(crate) const LEVEL_DERIVED: Template = t(
    "level_derived",
    "the level is 'especially' because the household is in a key group ({status})",
    "因家庭属于重点保障对象（{status}），认定为特别困难",
);
pub(crate) const LEVEL_RAISED: Template = t(
    "level_raised",
    "the assessed level '{assessed}' is raised to '{level}' by the key group ({status})",
    "认定等级“{assessed}”因重点保障对象（{status}）提高为“{level}”",
);
pub(crate) const TIER: Template = t(
    "tier",
    "paid at the {tier} tier of the standard",
    "按{tier}档标准资助",
);
pub(crate) const HIGHER_OF_GROUNDS: Template = t(
    "higher_of_grounds",
    "eligible on several grounds: the higher amount is paid ({ground})",
    "符合多项条件，按较高标准资助（{ground}）",
);
pub(crate) const FULL_TIME_FORMAL: Template = t(
    "full_time_formal",
    "full-time formal enrolment",
    "全日制正式学籍",
);
pub(crate) const RURAL_HUKOU: Template = t(
    "rural_hukou",
    "rural household registration (county towns included)",
    "农村户籍（含县镇）",
);
pub(crate) const AGRICULTURE_MAJOR: Template =
    t("agriculture_major", "agriculture-related major", "涉农专业");
pub(crate) const DISABLED_WITH_LEVEL: Template = t(
    "disabled_with_level",
    "a disabled student with a difficulty level",
    "家庭经济困难残疾学生",
);
pub(crate) const DISABILITY: Template = t(
    "disability",
    "the student has a disability (grade {grade})",
    "残疾儿童（{grade}级）",
);
pub(crate) const ORPHAN: Template = t("orphan", "the child is an orphan", "孤儿");
pub(crate) const PILOT_AREA: Template = t(
    "pilot_area",
    "the school is in a nutrition pilot area ({pilot})",
    "学校位于营养改善计划试点地区（{pilot}）",
);
pub(crate) const SCHOOL_NOT_CITY: Template = t(
    "school_not_city",
    "the school is not in a city district ({location})",
    "学校不在城区（{location}）",
);
pub(crate) const FINAL_PRESCHOOL_YEAR: Template = t(
    "final_preschool_year",
    "final preschool year, free from {from}",
    "学前一年，自{from}起免保育教育费",
);
pub(crate) const AWARD_GRANTED: Template = t(
    "award_granted",
    "the award {award} was granted",
    "已获评{award}",
);
pub(crate) const VETERAN: Template = t(
    "veteran",
    "a retired-soldier student receives at least the national average",
    "退役士兵学生至少按平均标准资助",
);
pub(crate) const NO_FIXED_SALARY: Template = t(
    "no_fixed_salary",
    "the graduate student has no fixed salary",
    "研究生无固定工资收入",
);
pub(crate) const INSTITUTION: Template = t(
    "institution",
    "institution: {institution}",
    "院校类别：{institution}",
);
pub(crate) const HOUSEHOLD_STATUS: Template = t(
    "household_status",
    "the household is {status}",
    "家庭为{status}",
);
pub(crate) const REGIONAL_STANDARD_MISSING: Template = t(
    "regional_standard_missing",
    "the amount is set by the province; no regional standard is loaded",
    "资助标准由省级确定，未加载地方标准",
);
pub(crate) const LOCAL_FEE_NOT_SET: Template = t(
    "local_fee_not_set",
    "the fee waived is the local fee; none is loaded, so 0.00 is shown",
    "免除金额为当地收费标准，未加载地方标准，显示为0.00",
);
pub(crate) const REGIONAL_RULE: Template = t(
    "regional_rule",
    "regional rule of {region}: {rule}",
    "{region}地方规定：{rule}",
);

// --- notes that do not decide ----------------------------------------------------
pub(crate) const MONITORING_NOT_IN_FORCE: Template = t(
    "monitoring_not_in_force",
    "monitoring statuses are ignored before {from} (no monitored households then)",
    "{from}前尚无防止返贫监测对象，监测户身份不予考虑",
);
pub(crate) const MONITORING_RISK_REMOVED: Template = t(
    "monitoring_risk_removed",
    "the monitored household's risk has been removed",
    "监测户已消除风险",
);

// --- grounds that refuse ---------------------------------------------------------
pub(crate) const STAGE_NOT_COVERED: Template = t(
    "stage_not_covered",
    "the program covers {stages}; the student is in {stage}",
    "该项目面向{stages}，学生就读{stage}",
);
pub(crate) const GRADE_NOT_COVERED: Template = t(
    "grade_not_covered",
    "the program covers grades {grades} of the stage; the student is in grade {grade}",
    "该项目面向{grades}年级，学生就读{grade}年级",
);
pub(crate) const RULE_NOT_IN_FORCE: Template = t(
    "rule_not_in_force",
    "this rule is in force from {from}",
    "该政策自{from}起施行",
);
pub(crate) const NO_DIFFICULTY_LEVEL: Template = t(
    "no_difficulty_level",
    "no family economic difficulty level (assessed or derived)",
    "未认定家庭经济困难等级，也不属于重点保障对象",
);
pub(crate) const NOT_KEY_GROUP: Template = t(
    "not_key_group",
    "a non-boarder must be in a key group",
    "非寄宿生须属于重点保障对象",
);
pub(crate) const NOT_BOARDING: Template = t(
    "not_boarding",
    "the student does not board at school",
    "学生非寄宿生",
);
pub(crate) const NOT_FULL_TIME: Template = t(
    "not_full_time",
    "not in full-time formal enrolment",
    "非全日制正式学籍",
);
pub(crate) const PERFORMING_ARTS_MAJOR: Template = t(
    "performing_arts_major",
    "performing-arts majors are excluded",
    "艺术类相关表演专业不享受",
);
pub(crate) const NO_QUALIFYING_GROUND: Template = t(
    "no_qualifying_ground",
    "none of the grounds applies ({grounds})",
    "不符合任一条件（{grounds}）",
);
pub(crate) const NO_QUALIFYING_STATUS: Template = t(
    "no_qualifying_status",
    "the household is none of {statuses}",
    "家庭不属于{statuses}",
);
pub(crate) const NOT_PILOT_AREA: Template = t(
    "not_pilot_area",
    "the school region ({region}) is not in a nutrition pilot area",
    "学校所在地区（{region}）不属于营养改善计划试点地区",
);
pub(crate) const CITY_SCHOOL: Template = t(
    "city_school",
    "schools in city districts are not covered",
    "城区学校不在范围内",
);
pub(crate) const AWARD_NOT_GRANTED: Template = t(
    "award_not_granted",
    "the award {award} was not granted",
    "未获评{award}",
);
pub(crate) const HAS_FIXED_SALARY: Template = t(
    "has_fixed_salary",
    "graduate students with a fixed salary are excluded",
    "有固定工资收入的研究生不享受",
);
pub(crate) const URBAN_HUKOU_NOT_COVERED: Template = t(
    "urban_hukou_not_covered",
    "only rural hukou (dibao, tekun) qualifies on this ground",
    "城镇户籍的低保、特困学生不属于该条件",
);

/// Every reason code, with its templates.
pub const CATALOGUE: &[ReasonTemplate] = &[
    STAGE_IN.t,
    GRADE_IN.t,
    EVERY_STUDENT.t,
    BOARDING.t,
    NON_BOARDER_KEY_GROUP.t,
    KEY_GROUP.t,
    DIFFICULTY_LEVEL.t,
    LEVEL_DERIVED.t,
    LEVEL_RAISED.t,
    TIER.t,
    HIGHER_OF_GROUNDS.t,
    FULL_TIME_FORMAL.t,
    RURAL_HUKOU.t,
    AGRICULTURE_MAJOR.t,
    DISABLED_WITH_LEVEL.t,
    DISABILITY.t,
    ORPHAN.t,
    PILOT_AREA.t,
    SCHOOL_NOT_CITY.t,
    FINAL_PRESCHOOL_YEAR.t,
    AWARD_GRANTED.t,
    VETERAN.t,
    NO_FIXED_SALARY.t,
    INSTITUTION.t,
    HOUSEHOLD_STATUS.t,
    REGIONAL_STANDARD_MISSING.t,
    LOCAL_FEE_NOT_SET.t,
    REGIONAL_RULE.t,
    MONITORING_NOT_IN_FORCE.t,
    MONITORING_RISK_REMOVED.t,
    STAGE_NOT_COVERED.t,
    GRADE_NOT_COVERED.t,
    RULE_NOT_IN_FORCE.t,
    NO_DIFFICULTY_LEVEL.t,
    NOT_KEY_GROUP.t,
    NOT_BOARDING.t,
    NOT_FULL_TIME.t,
    PERFORMING_ARTS_MAJOR.t,
    NO_QUALIFYING_GROUND.t,
    NO_QUALIFYING_STATUS.t,
    NOT_PILOT_AREA.t,
    CITY_SCHOOL.t,
    AWARD_NOT_GRANTED.t,
    HAS_FIXED_SALARY.t,
    URBAN_HUKOU_NOT_COVERED.t,
];

#[cfg(test)]
const TEMPLATES: &[Template] = &[
    STAGE_IN,
    GRADE_IN,
    EVERY_STUDENT,
    BOARDING,
    NON_BOARDER_KEY_GROUP,
    KEY_GROUP,
    DIFFICULTY_LEVEL,
    LEVEL_DERIVED,
    LEVEL_RAISED,
    TIER,
    HIGHER_OF_GROUNDS,
    FULL_TIME_FORMAL,
    RURAL_HUKOU,
    AGRICULTURE_MAJOR,
    DISABLED_WITH_LEVEL,
    DISABILITY,
    ORPHAN,
    PILOT_AREA,
    SCHOOL_NOT_CITY,
    FINAL_PRESCHOOL_YEAR,
    AWARD_GRANTED,
    VETERAN,
    NO_FIXED_SALARY,
    INSTITUTION,
    HOUSEHOLD_STATUS,
    REGIONAL_STANDARD_MISSING,
    LOCAL_FEE_NOT_SET,
    REGIONAL_RULE,
    MONITORING_NOT_IN_FORCE,
    MONITORING_RISK_REMOVED,
    STAGE_NOT_COVERED,
    GRADE_NOT_COVERED,
    RULE_NOT_IN_FORCE,
    NO_DIFFICULTY_LEVEL,
    NOT_KEY_GROUP,
    NOT_BOARDING,
    NOT_FULL_TIME,
    PERFORMING_ARTS_MAJOR,
    NO_QUALIFYING_GROUND,
    NO_QUALIFYING_STATUS,
    NOT_PILOT_AREA,
    CITY_SCHOOL,
    AWARD_NOT_GRANTED,
    HAS_FIXED_SALARY,
    URBAN_HUKOU_NOT_COVERED,
];

/// A template with its two texts cut at their placeholders when the crate is built, so that
/// rendering a reason copies pieces instead of searching the text for braces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Template {
    /// The template as the catalogue shows it.
    pub(crate) t: ReasonTemplate,
    en: Cuts,
    zh: Cuts,
}

/// The byte ranges of a template text, alternately literal text and the name of a
/// placeholder (without its braces), starting with literal text.
#[derive(Debug, Clone, Copy)]
struct Cuts {
    spans: [(u16, u16); MAX_SPANS],
    len: usize,
}

/// Room for three placeholders (the most any template has) with the text around them.
const MAX_SPANS: usize = 7;

const fn t(code: &'static str, en: &'static str, zh: &'static str) -> Template {
    Template {
        t: ReasonTemplate { code, en, zh },
        en: cut(en),
        zh: cut(zh),
    }
}

/// Cut `text` at its placeholders, as [`render_template`] reads them: `{name}` is a
/// placeholder; a `{` without a closing `}` is literal text up to the end.
// Evaluated only in constants: an index out of bounds (a template with more placeholders
// than MAX_SPANS allows) fails the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const fn cut(text: &str) -> Cuts {
    let bytes = text.as_bytes();
    assert!(bytes.len() <= u16::MAX as usize);
    let mut cuts = Cuts {
        spans: [(0, 0); MAX_SPANS],
        len: 0,
    };
    let mut start = 0;
    loop {
        let mut open = start;
        while open < bytes.len() && bytes[open] != b'{' {
            open += 1;
        }
        let mut close = open + 1;
        while close < bytes.len() && bytes[close] != b'}' {
            close += 1;
        }
        if open >= bytes.len() || close >= bytes.len() {
            cuts.spans[cuts.len] = (start as u16, bytes.len() as u16);
            cuts.len += 1;
            return cuts;
        }
        cuts.spans[cuts.len] = (start as u16, open as u16);
        cuts.spans[cuts.len + 1] = ((open + 1) as u16, close as u16);
        cuts.len += 2;
        start = close + 1;
    }
}

/// Look a code up in the catalogue.
pub fn template(code: &str) -> Option<&'static ReasonTemplate> {
    CATALOGUE.iter().find(|t| t.code == code)
}

/// One reason of a decision.
///
/// Building a reason allocates at most once, so that a single evaluation with its two dozen
/// reasons fits the ≤ 2 µs target of issue 10 (it used to cost five allocations a reason):
/// the code borrows the catalogue's static text; the parameters ([`ReasonParams`]) keep up
/// to two pairs inline and borrow static values (stage names, statuses, levels); the message
/// borrows its template when the template has no placeholder, and is otherwise rendered into
/// one new string. A deserialized reason owns its texts.
///
/// Whether a text is borrowed or owned never shows: equality, `Debug` and serialization see
/// the text only. The JSON form is unchanged: `{"code": …, "params": {…}, "message": …}`,
/// the parameters an object with its keys in sorted order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable code from [`CATALOGUE`]: borrowed from the catalogue when an evaluation builds
    /// the reason, owned when it is deserialized.
    pub code: Cow<'static, str>,
    /// Named parameters of the template, in name order.
    pub params: ReasonParams,
    /// The message rendered in the requested language: borrowed when it is the template
    /// itself (no placeholder), owned otherwise.
    pub message: Cow<'static, str>,
}

impl Reason {
    /// A reason with parameters, rendered in `lang`; an unknown code renders as the code
    /// itself. The code borrows the catalogue's text when the catalogue has it; the
    /// parameters are copied (a parameter given twice keeps its last value, as a map does).
    /// The programs build their reasons by another path, which copies no static text.
    pub fn new(code: &str, params: &[(&str, String)], lang: Lang) -> Reason {
        let (code, message) = match template(code) {
            Some(t) => (Cow::Borrowed(t.code), render_template(t, lang, params)),
            None => (Cow::Owned(code.to_string()), Cow::Owned(code.to_string())),
        };
        let params = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Reason {
            code,
            params,
            message,
        }
    }

    /// A reason of template `t` with its arguments, rendered in `lang`: the programs' path,
    /// which names the template directly (no lookup by code), turns each argument into text
    /// once (borrowed when it is static) and moves it into `params` after the message is
    /// made from it. Allocates the message when its template has a placeholder, and each
    /// argument that is not static text.
    pub(crate) fn of<const N: usize>(
        t: &'static Template,
        args: [(&'static str, Arg<'_>); N],
        lang: Lang,
    ) -> Reason {
        let values: [(&'static str, Cow<'static, str>); N] = args.map(|(k, a)| (k, a.into_text()));
        let message = render_cut(t, lang, &values);
        Reason {
            code: Cow::Borrowed(t.t.code),
            params: ReasonParams::from_pairs(values),
            message,
        }
    }

    /// `stage_in` for `stage`: as [`Reason::of`] renders it, with the message borrowed from
    /// [`WordMessages`] (no allocation).
    pub(crate) fn stage_in(stage: Stage, lang: Lang) -> Reason {
        let message = WordMessages::get().stage_in(stage, lang);
        Reason::one_word(&STAGE_IN, ("stage", stage.as_str()), message, lang)
    }

    /// `key_group` for `status`: as [`Reason::of`] renders it, with the message borrowed
    /// from [`WordMessages`] (no allocation).
    pub(crate) fn key_group(status: HouseholdStatus, lang: Lang) -> Reason {
        let message = WordMessages::by_status(&WordMessages::get().key_group, status, lang);
        Reason::one_word(&KEY_GROUP, ("status", status.as_str()), message, lang)
    }

    /// A reason of template `t` whose one parameter is a vocabulary word, with `message`
    /// (taken from [`WordMessages`]) or, when there is none, rendered.
    fn one_word(
        t: &'static Template,
        (name, word): (&'static str, &'static str),
        message: Option<&'static str>,
        lang: Lang,
    ) -> Reason {
        match message {
            Some(message) => Reason {
                code: Cow::Borrowed(t.t.code),
                params: ReasonParams::one((name.into(), word.into())),
                message: Cow::Borrowed(message),
            },
            None => Reason::of(t, [(name, Arg::Str(word))], lang),
        }
    }

    /// `level_derived` for the key status `status` (the level derived is `especially`): as
    /// [`Reason::of`] renders it, with the message borrowed from [`WordMessages`].
    pub(crate) fn level_derived(status: HouseholdStatus, lang: Lang) -> Reason {
        let level = DifficultyLevel::Especially.as_str();
        let table = WordMessages::get();
        match WordMessages::by_status(&table.level_derived, status, lang) {
            Some(message) => Reason {
                code: Cow::Borrowed(LEVEL_DERIVED.t.code),
                // In name order: `level` < `status`.
                params: ReasonParams::two_sorted(
                    ("level".into(), level.into()),
                    ("status".into(), status.as_str().into()),
                ),
                message: Cow::Borrowed(message),
            },
            None => Reason::of(
                &LEVEL_DERIVED,
                [
                    ("status", Arg::Str(status.as_str())),
                    ("level", Arg::Str(level)),
                ],
                lang,
            ),
        }
    }

    /// `stage_not_covered` for a program covering `stages` and a student in `stage`: as
    /// [`Reason::of`] renders it, with the parameters and the message borrowed from
    /// [`WordMessages`] when `stages` is one stage or a list of the catalogue (an overlay's
    /// own list is rendered).
    pub(crate) fn stage_not_covered(stages: &[Stage], stage: Stage, lang: Lang) -> Reason {
        let list = WordMessages::get().list(stages);
        match list.and_then(|l| Some((l.text, l.not_covered(stage, lang)?))) {
            Some((text, message)) => Reason {
                code: Cow::Borrowed(STAGE_NOT_COVERED.t.code),
                // In name order: `stage` < `stages`.
                params: ReasonParams::two_sorted(
                    ("stage".into(), stage.as_str().into()),
                    ("stages".into(), text.into()),
                ),
                message: Cow::Borrowed(message),
            },
            None => Reason::of(
                &STAGE_NOT_COVERED,
                [
                    ("stages", Arg::Stages(stages)),
                    ("stage", Arg::Str(stage.as_str())),
                ],
                lang,
            ),
        }
    }

    /// An empty reason, for internal evaluations whose reasons are never shown (the
    /// term-by-term payment runs): no allocation, no rendering.
    pub const fn silent() -> Reason {
        Reason {
            code: Cow::Borrowed(""),
            params: ReasonParams::new(),
            message: Cow::Borrowed(""),
        }
    }
}

/// The messages of the reasons every evaluation repeats whose only parameters are words of
/// the vocabulary, rendered once per process for every word and language: `stage_in` (one
/// per entitlement), `stage_not_covered` for each stage list of the catalogue (one per
/// program outside the student's stage, about twenty in every evaluation), `key_group` (one
/// per key status and program) and `level_derived`. Rendering them was most of the
/// allocations of a single evaluation (issue 10: ≤ 2 µs).
///
/// This is a constant, not a cache: it is a pure function of the templates and the
/// vocabulary, built in full on first use (Rust cannot concatenate these texts at compile
/// time), never grows and never depends on an input. Each entry is [`Reason::of`]'s own
/// rendering, so a borrowed message is the rendered one byte for byte (tested).
struct WordMessages {
    /// `stage_in`, at `[stage][lang]`.
    stage_in: Vec<[String; 2]>,
    /// `key_group`, at `[status][lang]`.
    key_group: Vec<[String; 2]>,
    /// `level_derived`, at `[status][lang]` (its level is always `especially`).
    level_derived: Vec<[String; 2]>,
    /// The stage lists whose `stage_not_covered` messages are kept: each single stage (in
    /// [`Stage::ALL`] order), then [`STAGE_LISTS`].
    lists: Vec<StageList>,
}

/// One stage list of [`WordMessages`].
struct StageList {
    stages: &'static [Stage],
    /// The stages as a bit set, to find a list with one comparison of slices.
    mask: u16,
    /// The stages joined, as the `stages` parameter shows them.
    text: &'static str,
    /// `stage_not_covered`, at `[stage][lang]`.
    messages: Vec<[String; 2]>,
}

impl WordMessages {
    /// The table, built on first use.
    fn get() -> &'static WordMessages {
        static TABLE: std::sync::OnceLock<WordMessages> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let langs = |render: &dyn Fn(Lang) -> Reason| {
                [Lang::En, Lang::Zh].map(|lang| render(lang).message.into_owned())
            };
            let singles = Stage::ALL
                .iter()
                .map(|s| (std::slice::from_ref(s), s.as_str()));
            let lists = singles.chain(STAGE_LISTS.iter().copied());
            let statuses = |t: &'static Template| {
                HouseholdStatus::ALL
                    .iter()
                    .map(|s| langs(&|lang| Reason::of(t, [("status", Arg::Str(s.as_str()))], lang)))
                    .collect()
            };
            WordMessages {
                stage_in: Stage::ALL
                    .iter()
                    .map(|s| {
                        langs(&|lang| {
                            Reason::of(&STAGE_IN, [("stage", Arg::Str(s.as_str()))], lang)
                        })
                    })
                    .collect(),
                key_group: statuses(&KEY_GROUP),
                level_derived: statuses(&LEVEL_DERIVED),
                lists: lists
                    .map(|(stages, text)| StageList {
                        stages,
                        mask: stage_mask(stages),
                        text,
                        messages: Stage::ALL
                            .iter()
                            .map(|s| {
                                langs(&|lang| {
                                    let args = [
                                        ("stages", Arg::Stages(stages)),
                                        ("stage", Arg::Str(s.as_str())),
                                    ];
                                    Reason::of(&STAGE_NOT_COVERED, args, lang)
                                })
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
    }

    fn stage_in(&'static self, stage: Stage, lang: Lang) -> Option<&'static str> {
        let texts = self.stage_in.get(stage as usize)?;
        texts.get(lang_index(lang)).map(String::as_str)
    }

    fn by_status(
        texts: &'static [[String; 2]],
        status: HouseholdStatus,
        lang: Lang,
    ) -> Option<&'static str> {
        let texts = texts.get(status as usize)?;
        texts.get(lang_index(lang)).map(String::as_str)
    }

    /// The kept list equal to `stages`, if any.
    fn list(&'static self, stages: &[Stage]) -> Option<&'static StageList> {
        let mask = stage_mask(stages);
        self.lists
            .iter()
            .find(|l| l.mask == mask && l.stages == stages)
    }
}

impl StageList {
    fn not_covered(&'static self, stage: Stage, lang: Lang) -> Option<&'static str> {
        let texts = self.messages.get(stage as usize)?;
        texts.get(lang_index(lang)).map(String::as_str)
    }
}

/// `stages` as a bit set (bit `i` for the stage `Stage::ALL[i]`).
fn stage_mask(stages: &[Stage]) -> u16 {
    stages.iter().fold(0, |m, s| m | 1 << (*s as u16))
}

/// The position of `lang` in a `[en, zh]` pair.
fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Zh => 1,
    }
}

/// One parameter of a reason: its name and its value.
type Param = (Cow<'static, str>, Cow<'static, str>);

/// How many parameters a reason keeps without a heap allocation (most templates have one or
/// two; one has three).
const INLINE: usize = 2;

/// An unused inline slot.
const EMPTY: Param = (Cow::Borrowed(""), Cow::Borrowed(""));

/// The named parameters of a [`Reason`], sorted by name.
///
/// A small map made for reasons (issue 10: allocation-free reasons for a single evaluation
/// in ≤ 2 µs): up to two parameters are kept inline, with no heap allocation, more in a
/// `Vec`; names and values are [`Cow`]s, so that static text (template names, stage names,
/// statuses) is borrowed rather than copied. It serializes and deserializes as a map
/// exactly as a `BTreeMap<String, String>` does (an object with its keys in sorted order);
/// deserializing rejects a name given twice.
#[derive(Clone)]
pub struct ReasonParams {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// `items[..len]` are the parameters; the rest are [`EMPTY`].
    Inline { items: [Param; INLINE], len: u8 },
    /// More than [`INLINE`] parameters.
    Spilled(Vec<Param>),
}

impl ReasonParams {
    /// No parameters (no allocation).
    pub const fn new() -> ReasonParams {
        ReasonParams {
            repr: Repr::Inline {
                items: [EMPTY; INLINE],
                len: 0,
            },
        }
    }

    /// One parameter (no allocation).
    const fn one(param: Param) -> ReasonParams {
        ReasonParams {
            repr: Repr::Inline {
                items: [param, EMPTY],
                len: 1,
            },
        }
    }

    /// Two parameters already in name order, distinct (no allocation, no comparison).
    fn two_sorted(first: Param, second: Param) -> ReasonParams {
        debug_assert!(first.0 < second.0);
        ReasonParams {
            repr: Repr::Inline {
                items: [first, second],
                len: 2,
            },
        }
    }

    /// The parameters of a template's arguments, sorted; inline when there are at most
    /// [`INLINE`] of them. A name given twice keeps its last value (as a map does).
    fn from_pairs<const N: usize>(pairs: [(&'static str, Cow<'static, str>); N]) -> ReasonParams {
        let mut pairs = pairs.into_iter().map(|(k, v)| (Cow::Borrowed(k), v));
        let repr = if N <= INLINE {
            match (pairs.next(), pairs.next()) {
                (None, _) => return ReasonParams::new(),
                (Some(a), None) => Repr::Inline {
                    items: [a, EMPTY],
                    len: 1,
                },
                (Some(a), Some(b)) => match a.0.cmp(&b.0) {
                    std::cmp::Ordering::Less => Repr::Inline {
                        items: [a, b],
                        len: 2,
                    },
                    std::cmp::Ordering::Greater => Repr::Inline {
                        items: [b, a],
                        len: 2,
                    },
                    std::cmp::Ordering::Equal => Repr::Inline {
                        items: [b, EMPTY],
                        len: 1,
                    },
                },
            }
        } else {
            let mut v: Vec<Param> = pairs.collect();
            // Stable: of equal names, the last given is last; keep it.
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(later, kept);
                }
                same
            });
            Repr::Spilled(v)
        };
        ReasonParams { repr }
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let i = self.search(name).ok()?;
        self.as_slice().get(i).map(|(_, v)| v.as_ref())
    }

    /// Whether there is a parameter `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.search(name).is_ok()
    }

    /// The parameters as `(name, value)`, in name order.
    pub fn iter(&self) -> ParamsIter<'_> {
        ParamsIter(self.as_slice().iter())
    }

    /// Set parameter `name` to `value`, keeping the names sorted; returns the value it
    /// replaces, if any (as a map does). Static text is kept borrowed.
    pub fn insert(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Option<Cow<'static, str>> {
        let name = name.into();
        let value = value.into();
        match self.search(&name) {
            Ok(i) => self.value_mut(i).map(|slot| std::mem::replace(slot, value)),
            Err(i) => {
                self.insert_at(i, (name, value));
                None
            }
        }
    }

    /// The parameters, sorted by name.
    fn as_slice(&self) -> &[Param] {
        match &self.repr {
            Repr::Inline { items, len } => items.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Spilled(v) => v,
        }
    }

    /// Where `name` is (`Ok`) or would go (`Err`).
    fn search(&self, name: &str) -> Result<usize, usize> {
        self.as_slice()
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
    }

    fn value_mut(&mut self, i: usize) -> Option<&mut Cow<'static, str>> {
        let slot = match &mut self.repr {
            Repr::Inline { items, len } => items.get_mut(..usize::from(*len))?.get_mut(i),
            Repr::Spilled(v) => v.get_mut(i),
        };
        slot.map(|(_, v)| v)
    }

    /// Insert `param` at `i` (where [`ReasonParams::search`] put it), moving to the heap
    /// when the inline slots are full.
    fn insert_at(&mut self, i: usize, param: Param) {
        let spilled = match &mut self.repr {
            Repr::Spilled(v) => {
                v.insert(i, param);
                return;
            }
            Repr::Inline { items, len } => {
                let n = usize::from(*len);
                if n < INLINE {
                    if let Some(slot) = items.get_mut(n) {
                        *slot = param;
                    }
                    if let Some(moved) = items.get_mut(i..=n) {
                        moved.rotate_right(1);
                    }
                    *len += 1;
                    return;
                }
                let mut v = Vec::with_capacity(INLINE * 2);
                v.extend(std::mem::replace(items, [EMPTY; INLINE]));
                v.insert(i.min(v.len()), param);
                v
            }
        };
        self.repr = Repr::Spilled(spilled);
    }

    /// Whether the parameters are kept inline (no heap allocation).
    #[cfg(test)]
    fn is_inline(&self) -> bool {
        matches!(self.repr, Repr::Inline { .. })
    }
}

impl Default for ReasonParams {
    fn default() -> Self {
        ReasonParams::new()
    }
}

impl PartialEq for ReasonParams {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for ReasonParams {}

impl std::hash::Hash for ReasonParams {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl fmt::Debug for ReasonParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Parameters from `(name, value)` pairs; a name given twice keeps its last value (as a
/// map does).
impl<K, V> FromIterator<(K, V)> for ReasonParams
where
    K: Into<Cow<'static, str>>,
    V: Into<Cow<'static, str>>,
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = ReasonParams::new();
        for (k, v) in iter {
            params.insert(k, v);
        }
        params
    }
}

/// The parameters of a map (as `Reason::params` was before issue 10).
impl From<BTreeMap<String, String>> for ReasonParams {
    fn from(map: BTreeMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

/// The parameters as a map of owned strings (as `Reason::params` was before issue 10).
impl From<&ReasonParams> for BTreeMap<String, String> {
    fn from(params: &ReasonParams) -> Self {
        params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

impl<'a> IntoIterator for &'a ReasonParams {
    type Item = (&'a str, &'a str);
    type IntoIter = ParamsIter<'a>;
    fn into_iter(self) -> ParamsIter<'a> {
        self.iter()
    }
}

/// The parameters of a reason as `(name, value)`, in name order ([`ReasonParams::iter`]).
#[derive(Debug, Clone)]
pub struct ParamsIter<'a>(std::slice::Iter<'a, Param>);

impl<'a> Iterator for ParamsIter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        self.0.next().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for ParamsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
}

impl ExactSizeIterator for ParamsIter<'_> {}

/// As a map, as `BTreeMap<String, String>` serializes: keys in sorted order.
impl Serialize for ReasonParams {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// From a map of text to text, as `BTreeMap<String, String>` deserializes, except that a
/// name given twice is an error rather than the last value winning.
impl<'de> Deserialize<'de> for ReasonParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Params;

        impl<'de> de::Visitor<'de> for Params {
            type Value = ReasonParams;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ReasonParams, A::Error> {
                let mut params = ReasonParams::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    match params.search(&name) {
                        Ok(_) => {
                            return Err(de::Error::custom(format_args!(
                                "duplicate reason parameter '{}'",
                                crate::json::clip(&name)
                            )))
                        }
                        Err(i) => params.insert_at(i, (Cow::Owned(name), Cow::Owned(value))),
                    }
                }
                Ok(params)
            }
        }

        deserializer.deserialize_map(Params)
    }
}

/// The reasons of one decision (a program's `because`, an assessment's notes): a list that
/// keeps a single reason inline.
///
/// Most decisions have exactly one reason (a student outside a program's stages gets
/// `stage_not_covered` and nothing else: twenty such programs in a typical evaluation), and
/// a `Vec` per program cost as many heap allocations; this list allocates only from the
/// second reason on (issue 10: single evaluation ≤ 2 µs). It reads as a slice
/// (`Deref<Target = [Reason]>`: `len`, `iter`, indexing, `is_empty`), and equality, `Debug`
/// and serialization see the reasons only: the JSON is a plain array, as a `Vec` gives.
#[derive(Clone, Default)]
pub struct Reasons {
    repr: ListRepr,
}

#[derive(Clone, Default)]
enum ListRepr {
    /// No reason.
    #[default]
    Empty,
    /// Exactly one reason, inline.
    One(Reason),
    /// Two or more reasons (or a list built with room for them).
    Many(Vec<Reason>),
}

impl Reasons {
    /// An empty list (no allocation).
    pub const fn new() -> Reasons {
        Reasons {
            repr: ListRepr::Empty,
        }
    }

    /// An empty list with room for `capacity` reasons: no allocation up to one.
    pub fn with_capacity(capacity: usize) -> Reasons {
        Reasons {
            repr: if capacity <= 1 {
                ListRepr::Empty
            } else {
                ListRepr::Many(Vec::with_capacity(capacity))
            },
        }
    }

    /// A list of one reason (no allocation).
    pub const fn one(reason: Reason) -> Reasons {
        Reasons {
            repr: ListRepr::One(reason),
        }
    }

    /// Add a reason at the end.
    pub fn push(&mut self, reason: Reason) {
        match &mut self.repr {
            ListRepr::Many(v) => v.push(reason),
            ListRepr::Empty => self.repr = ListRepr::One(reason),
            ListRepr::One(_) => {
                let ListRepr::One(first) = std::mem::take(&mut self.repr) else {
                    return;
                };
                self.repr = ListRepr::Many(vec![first, reason]);
            }
        }
    }

    /// Add the reasons of `other` at the end.
    pub fn append(&mut self, other: Reasons) {
        if self.is_empty() {
            *self = other;
        } else {
            self.extend(other);
        }
    }

    /// Remove every reason.
    pub fn clear(&mut self) {
        match &mut self.repr {
            ListRepr::Many(v) => v.clear(),
            _ => self.repr = ListRepr::Empty,
        }
    }

    /// Keep only the reasons `keep` accepts, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Reason) -> bool) {
        match &mut self.repr {
            ListRepr::Empty => {}
            ListRepr::One(r) => {
                if !keep(r) {
                    self.repr = ListRepr::Empty;
                }
            }
            ListRepr::Many(v) => v.retain(|r| keep(r)),
        }
    }

    /// The reasons as a slice.
    pub fn as_slice(&self) -> &[Reason] {
        match &self.repr {
            ListRepr::Empty => &[],
            ListRepr::One(r) => std::slice::from_ref(r),
            ListRepr::Many(v) => v,
        }
    }

    /// The reasons as a mutable slice.
    pub fn as_mut_slice(&mut self) -> &mut [Reason] {
        match &mut self.repr {
            ListRepr::Empty => &mut [],
            ListRepr::One(r) => std::slice::from_mut(r),
            ListRepr::Many(v) => v,
        }
    }

    /// The reasons as a `Vec`.
    pub fn into_vec(self) -> Vec<Reason> {
        match self.repr {
            ListRepr::Empty => Vec::new(),
            ListRepr::One(r) => vec![r],
            ListRepr::Many(v) => v,
        }
    }
}

impl std::ops::Deref for Reasons {
    type Target = [Reason];

    fn deref(&self) -> &[Reason] {
        self.as_slice()
    }
}

impl std::ops::DerefMut for Reasons {
    fn deref_mut(&mut self) -> &mut [Reason] {
        self.as_mut_slice()
    }
}

impl PartialEq for Reasons {
    fn eq(&self, other: &Reasons) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Reasons {}

impl fmt::Debug for Reasons {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl From<Vec<Reason>> for Reasons {
    fn from(v: Vec<Reason>) -> Reasons {
        Reasons {
            repr: ListRepr::Many(v),
        }
    }
}

impl From<Reasons> for Vec<Reason> {
    fn from(r: Reasons) -> Vec<Reason> {
        r.into_vec()
    }
}

impl FromIterator<Reason> for Reasons {
    fn from_iter<I: IntoIterator<Item = Reason>>(iter: I) -> Reasons {
        let mut out = Reasons::new();
        out.extend(iter);
        out
    }
}

impl Extend<Reason> for Reasons {
    fn extend<I: IntoIterator<Item = Reason>>(&mut self, iter: I) {
        for reason in iter {
            self.push(reason);
        }
    }
}

impl<'a> IntoIterator for &'a Reasons {
    type Item = &'a Reason;
    type IntoIter = std::slice::Iter<'a, Reason>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// The reasons of a [`Reasons`] list, by value.
#[derive(Debug)]
pub struct ReasonsIntoIter(ListIter);

#[derive(Debug)]
enum ListIter {
    One(Option<Reason>),
    Many(std::vec::IntoIter<Reason>),
}

impl Iterator for ReasonsIntoIter {
    type Item = Reason;

    fn next(&mut self) -> Option<Reason> {
        match &mut self.0 {
            ListIter::One(r) => r.take(),
            ListIter::Many(it) => it.next(),
        }
    }
}

impl IntoIterator for Reasons {
    type Item = Reason;
    type IntoIter = ReasonsIntoIter;

    fn into_iter(self) -> ReasonsIntoIter {
        ReasonsIntoIter(match self.repr {
            ListRepr::Empty => ListIter::One(None),
            ListRepr::One(r) => ListIter::One(Some(r)),
            ListRepr::Many(v) => ListIter::Many(v.into_iter()),
        })
    }
}

/// As a `Vec<Reason>` serializes: an array.
impl Serialize for Reasons {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

/// From an array, as `Vec<Reason>` deserializes.
impl<'de> Deserialize<'de> for Reasons {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut v = Vec::<Reason>::deserialize(deserializer)?;
        Ok(if v.len() == 1 {
            v.pop().map_or_else(Reasons::new, Reasons::one)
        } else {
            Reasons::from(v)
        })
    }
}
/// A parameter of a reason, turned into text only when the reason is built, so that an
/// evaluation without reasons spends nothing on it; static text is borrowed, not copied.
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    /// Static text (vocabulary names, literals), borrowed as is.
    Str(&'static str),
    /// Text of the profile or the policy (regions, names), copied.
    Text(&'a str),
    /// A whole number (grades); small ones are borrowed from a table.
    Num(u64),
    /// A date; none is the empty text (a rule with no date in force).
    Date(Option<chrono::NaiveDate>),
    /// Stages, joined with `", "` (borrowed for one stage and for the catalogue's lists).
    Stages(&'a [crate::profile::Stage]),
    /// Formatted text (borrowed when it has no argument).
    Fmt(fmt::Arguments<'a>),
}

impl Arg<'_> {
    /// The text of the argument (static text, the most common, without a call).
    #[inline]
    fn into_text(self) -> Cow<'static, str> {
        match self {
            Arg::Str(s) => Cow::Borrowed(s),
            other => other.into_other_text(),
        }
    }

    fn into_other_text(self) -> Cow<'static, str> {
        match self {
            Arg::Str(s) => Cow::Borrowed(s),
            Arg::Text(s) => Cow::Owned(s.to_string()),
            Arg::Num(n) => match usize::try_from(n).ok().and_then(|i| NUMBERS.get(i)) {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(n.to_string()),
            },
            Arg::Date(None) => Cow::Borrowed(""),
            Arg::Date(Some(d)) => Cow::Owned(d.to_string()),
            Arg::Stages(stages) => stages_text(stages),
            Arg::Fmt(a) => match a.as_str() {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(a.to_string()),
            },
        }
    }
}

/// The text of the numbers a reason names most (grades).
const NUMBERS: [&str; 21] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20",
];

/// The stage lists of the catalogue's programs with more than one stage, with their text, so
/// that `stage_not_covered` borrows it (a test checks that every list of the catalogue is
/// here and that each text is the list joined).
const STAGE_LISTS: &[(&[crate::profile::Stage], &str)] = {
    use crate::profile::Stage::*;
    &[
        (&[Primary, JuniorMiddle], "primary, junior_middle"),
        (
            &[HigherVocational, Undergraduate],
            "higher_vocational, undergraduate",
        ),
        (&[Masters, Doctoral], "masters, doctoral"),
        (
            &[HigherVocational, Undergraduate, Masters, Doctoral],
            "higher_vocational, undergraduate, masters, doctoral",
        ),
        (
            &[SecondaryVocational, HigherVocational],
            "secondary_vocational, higher_vocational",
        ),
    ]
};

/// Stages joined with `", "`: borrowed for one stage and for the catalogue's lists.
fn stages_text(stages: &[crate::profile::Stage]) -> Cow<'static, str> {
    if let [one] = stages {
        return Cow::Borrowed(one.as_str());
    }
    if let Some((_, text)) = STAGE_LISTS.iter().find(|(list, _)| *list == stages) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(join_stages(stages))
}

fn join_stages(stages: &[crate::profile::Stage]) -> String {
    let len: usize = stages.iter().map(|s| s.as_str().len() + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, s) in stages.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(s.as_str());
    }
    out
}

/// The byte offset of `b` in `s` (`{` and `}` are ASCII, so the offset is a char boundary);
/// a plain byte scan, cheaper than a char search on templates this short.
fn byte_at(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|c| c == b)
}

/// Render a template in one pass, substituting `{name}` from `params` (in Chinese, the
/// values' Chinese labels); a placeholder with no parameter stays as it is. A template
/// without placeholders is borrowed.
fn render_template<V: AsRef<str>>(
    t: &ReasonTemplate,
    lang: Lang,
    params: &[(&str, V)],
) -> Cow<'static, str> {
    let template = match lang {
        Lang::En => t.en,
        Lang::Zh => t.zh,
    };
    if byte_at(template, b'{').is_none() {
        return Cow::Borrowed(template);
    }
    // One allocation: Chinese labels and separators are at most three times the bytes of
    // the English names they replace.
    let values: usize = params.iter().map(|(_, v)| v.as_ref().len()).sum();
    let factor = if lang == Lang::Zh { 3 } else { 1 };
    let mut out = String::with_capacity(template.len() + values * factor);
    let mut rest = template;
    while let Some(open) = byte_at(rest, b'{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = byte_at(after, b'}') else {
            out.push_str(rest.get(open..).unwrap_or_default());
            rest = "";
            break;
        };
        let name = after.get(..close).unwrap_or_default();
        match params.iter().find(|(k, _)| *k == name) {
            Some((_, v)) if lang == Lang::Zh => push_zh_list(&mut out, v.as_ref()),
            Some((_, v)) => out.push_str(v.as_ref()),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Render a template cut at build time (as [`render_template`] renders it): borrowed when
/// the template has no placeholder, one allocation otherwise.
fn render_cut<V: AsRef<str>>(t: &Template, lang: Lang, params: &[(&str, V)]) -> Cow<'static, str> {
    let (text, cuts) = match lang {
        Lang::En => (t.t.en, &t.en),
        Lang::Zh => (t.t.zh, &t.zh),
    };
    if cuts.len <= 1 {
        return Cow::Borrowed(text);
    }
    let values: usize = params.iter().map(|(_, v)| v.as_ref().len()).sum();
    let factor = if lang == Lang::Zh { 3 } else { 1 };
    let mut out = String::with_capacity(text.len() + values * factor);
    let spans = cuts.spans.get(..cuts.len).unwrap_or_default();
    for (i, (start, end)) in spans.iter().enumerate() {
        let piece = text
            .get(usize::from(*start)..usize::from(*end))
            .unwrap_or_default();
        if i % 2 == 0 {
            out.push_str(piece);
            continue;
        }
        match params.iter().find(|(k, _)| *k == piece) {
            Some((_, v)) if lang == Lang::Zh => push_zh_list(&mut out, v.as_ref()),
            Some((_, v)) => out.push_str(v.as_ref()),
            None => {
                out.push('{');
                out.push_str(piece);
                out.push('}');
            }
        }
    }
    Cow::Owned(out)
}

/// Render `code` with `params` in `lang`. An unknown code renders as the code itself.
///
/// `params` is any map of names to text: a `&BTreeMap<String, String>` (a reason's
/// parameters as JSON gives them) or a reason's own [`ReasonParams`] (`&reason.params`).
pub fn render<K, V>(code: &str, params: impl IntoIterator<Item = (K, V)>, lang: Lang) -> String
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let Some(t) = template(code) else {
        return code.to_string();
    };
    let mut out = match lang {
        Lang::En => t.en.to_string(),
        Lang::Zh => t.zh.to_string(),
    };
    for (k, v) in params {
        let (k, v) = (k.as_ref(), v.as_ref());
        let shown = match lang {
            Lang::Zh => zh_list(v),
            Lang::En => v.to_string(),
        };
        out = out.replace(&format!("{{{k}}}"), &shown);
    }
    out
}

/// Chinese labels of the vocabulary that appears in reason parameters (stages, statuses,
/// levels, tiers, locations, pilots, awards, institutions), so a zh message reads as
/// Chinese; the parameter values themselves stay the stable English names.
pub const ZH_LABELS: &[(&str, &str)] = &[
    ("preschool", "学前教育"),
    ("primary", "小学"),
    ("junior_middle", "初中"),
    ("general_high", "普通高中"),
    ("secondary_vocational", "中等职业教育"),
    ("higher_vocational", "高职专科"),
    ("undergraduate", "本科"),
    ("masters", "硕士研究生"),
    ("doctoral", "博士研究生"),
    ("lifted_out_of_poverty", "脱贫家庭"),
    ("monitored_unstable", "脱贫不稳定户"),
    ("monitored_marginal", "边缘易致贫户"),
    ("monitored_sudden_hardship", "突发严重困难户"),
    ("dibao", "低保"),
    ("tekun", "特困供养"),
    ("orphan", "孤儿"),
    ("de_facto_unsupported", "事实无人抚养儿童"),
    ("martyr_child", "烈士子女"),
    ("disabled_parent", "残疾人子女"),
    ("especially", "特别困难"),
    ("relatively", "比较困难"),
    ("general", "一般困难"),
    ("top", "最高"),
    ("middle", "中间"),
    ("bottom", "最低"),
    ("city", "城区"),
    ("town", "镇区"),
    ("rural", "乡村"),
    ("national", "国家试点"),
    ("local", "地方"),
    ("central", "中央部属高校"),
    ("national_scholarship", "国家奖学金"),
    ("national_encouragement_scholarship", "国家励志奖学金"),
    (
        "secondary_vocational_national_scholarship",
        "中等职业教育国家奖学金",
    ),
    ("disability", "残疾"),
    ("veteran", "退役士兵"),
    ("agriculture_major", "涉农专业"),
    ("none", "未填写"),
];

/// The Chinese label of a vocabulary value, or the value itself.
pub fn zh_label(value: &str) -> &str {
    ZH_LABELS
        .iter()
        .find(|(k, _)| *k == value)
        .map_or(value, |(_, v)| v)
}

fn zh_list(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    push_zh_list(&mut out, value);
    out
}

/// The Chinese form of a parameter value: each item of a `", "`-separated list labelled,
/// joined with `、` (a single value is a list of one).
fn push_zh_list(out: &mut String, value: &str) {
    for (i, item) in value.split(", ").enumerate() {
        if i > 0 {
            out.push('、');
        }
        out.push_str(zh_label(item));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_templates_agree() {
        for (i, a) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE.iter().skip(i + 1).all(|b| b.code != a.code),
                "duplicate {}",
                a.code
            );
            // both templates name the same placeholders
            let names = |s: &str| {
                let mut v: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split('}').next())
                    .map(String::from)
                    .collect();
                v.sort();
                v
            };
            assert_eq!(names(a.en), names(a.zh), "{}", a.code);
        }
    }

    #[test]
    fn templates_cut_at_build_time_render_as_the_text_does() {
        let params = [
            ("stage", "primary".to_string()),
            ("stages", "preschool, masters".to_string()),
            ("status", "dibao".to_string()),
            ("level", "especially".to_string()),
            ("from", "2019-09-01".to_string()),
        ];
        for t in TEMPLATES {
            for lang in [Lang::En, Lang::Zh] {
                assert_eq!(
                    render_cut(t, lang, &params),
                    render_template(&t.t, lang, &params),
                    "{}",
                    t.t.code
                );
            }
        }
        let odd = t("odd", "a {stage} {unclosed", "{x}{stage}}{");
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(
                render_cut(&odd, lang, &params),
                render_template(&odd.t, lang, &params)
            );
        }
        let codes: Vec<&str> = TEMPLATES.iter().map(|t| t.t.code).collect();
        let catalogue: Vec<&str> = CATALOGUE.iter().map(|t| t.code).collect();
        assert_eq!(codes, catalogue);
    }

    #[test]
    fn params_serialize_sorted_as_a_btreemap_does() {
        let params: ReasonParams = [("stage", "primary"), ("stages", "a, b"), ("grade", "2")]
            .into_iter()
            .collect();
        let map: BTreeMap<String, String> = (&params).into();
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"grade":"2","stage":"primary","stages":"a, b"}"#
        );
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
        let two = ReasonParams::from_pairs([("z", Cow::Borrowed("1")), ("a", "2".into())]);
        assert_eq!(serde_json::to_string(&two).unwrap(), r#"{"a":"2","z":"1"}"#);
        assert_eq!(serde_json::to_string(&ReasonParams::new()).unwrap(), "{}");
        assert_eq!(two.iter().collect::<Vec<_>>(), [("a", "2"), ("z", "1")]);
        assert_eq!(
            two.iter().rev().map(|(k, _)| k).collect::<Vec<_>>(),
            ["z", "a"]
        );
        assert_eq!((two.get("z"), two.get("y")), (Some("1"), None));
        assert!(two.contains_key("a") && !two.contains_key("b"));
        assert_eq!(format!("{two:?}"), r#"{"a": "2", "z": "1"}"#);
    }

    #[test]
    fn params_round_trip_and_reject_duplicates() {
        for n in 0..6 {
            let params: ReasonParams = (0..n)
                .rev()
                .map(|i| (format!("k{i}"), format!("v{i}")))
                .collect();
            assert_eq!(params.len(), n);
            assert_eq!(params.is_empty(), n == 0);
            let text = serde_json::to_string(&params).unwrap();
            let back: ReasonParams = serde_json::from_str(&text).unwrap();
            assert_eq!(back, params);
            assert_eq!(back.is_inline(), n <= INLINE);
            let map: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
            assert_eq!(ReasonParams::from(map.clone()), params);
            assert_eq!(BTreeMap::from(&params), map);
        }
        // Keys arrive in any order and are kept sorted.
        let back: ReasonParams = serde_json::from_str(r#"{"c":"3","a":"1","b":"2"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            r#"{"a":"1","b":"2","c":"3"}"#
        );
        for text in [
            r#"{"a":"1","a":"2"}"#,
            r#"{"b":"1","a":"2","c":"","a":"3"}"#,
        ] {
            let err = serde_json::from_str::<ReasonParams>(text).unwrap_err();
            assert!(
                err.to_string().contains("duplicate reason parameter 'a'"),
                "{err}"
            );
        }
        let err = serde_json::from_str::<ReasonParams>(r#"["a"]"#).unwrap_err();
        assert!(err.to_string().contains("expected a map"), "{err}");
        let err = serde_json::from_str::<ReasonParams>(r#"{"a":1}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn params_stay_inline_up_to_two_and_borrow_static_text() {
        let mut params = ReasonParams::new();
        assert!(params.is_inline());
        assert_eq!(params.insert("b", "2"), None);
        assert_eq!(params.insert("a", "1"), None);
        assert!(params.is_inline());
        // Replacing a value keeps the slot (and returns the old value, as a map does).
        assert_eq!(
            params.insert("a", String::from("one")).as_deref(),
            Some("1")
        );
        assert!(params.is_inline());
        assert_eq!(params.insert("c", "3"), None);
        assert!(!params.is_inline());
        assert_eq!(params.insert("0", "0"), None);
        assert_eq!(
            params.iter().collect::<Vec<_>>(),
            [("0", "0"), ("a", "one"), ("b", "2"), ("c", "3")]
        );
        // A name given twice keeps its last value, as a BTreeMap does.
        let two = ReasonParams::from_pairs([("a", Cow::Borrowed("1")), ("a", "2".into())]);
        assert_eq!(
            (two.len(), two.get("a"), two.is_inline()),
            (1, Some("2"), true)
        );
        let three = ReasonParams::from_pairs([
            ("b", Cow::Borrowed("1")),
            ("a", "2".into()),
            ("b", "3".into()),
        ]);
        assert_eq!(three.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "3")]);
        let three = ReasonParams::from_pairs([
            ("c", Cow::Borrowed("1")),
            ("a", "2".into()),
            ("b", "3".into()),
        ]);
        assert_eq!(
            three.iter().collect::<Vec<_>>(),
            [("a", "2"), ("b", "3"), ("c", "1")]
        );
        assert!(!three.is_inline());
        let last: ReasonParams = [("a", "1"), ("a", "2")].into_iter().collect();
        assert_eq!((last.len(), last.get("a")), (1, Some("2")));
        // The programs' path: static arguments are borrowed, the others owned.
        let r = Reason::of(
            &STAGE_NOT_COVERED,
            [
                ("stages", Arg::Stages(&[crate::profile::Stage::Masters])),
                ("stage", Arg::Str("primary")),
            ],
            Lang::En,
        );
        assert!(r.params.is_inline());
        assert!(matches!(r.code, Cow::Borrowed("stage_not_covered")));
        assert!(r
            .params
            .as_slice()
            .iter()
            .all(|(k, v)| matches!((k, v), (Cow::Borrowed(_), Cow::Borrowed(_)))));
        let r = Reason::of(&EVERY_STUDENT, [], Lang::Zh);
        assert!(matches!(r.message, Cow::Borrowed("该学段全体学生均享受")));
        let r = Reason::of(
            &LEVEL_RAISED,
            [
                ("assessed", Arg::Str("general")),
                ("level", Arg::Str("especially")),
                ("status", Arg::Str("dibao")),
            ],
            Lang::En,
        );
        assert!(!r.params.is_inline());
        let r = Reason::of(&NOT_PILOT_AREA, [("region", Arg::Text("150924"))], Lang::En);
        assert!(matches!(
            r.params.as_slice(),
            [(Cow::Borrowed(_), Cow::Owned(_))]
        ));
        // A value from the profile or the policy: the message is rendered.
        assert!(matches!(r.message, Cow::Owned(_)));
        assert_eq!(
            r.message,
            "the school region (150924) is not in a nutrition pilot area"
        );
        assert_eq!(Reason::silent(), Reason::silent().clone());
        assert!(Reason::silent().params.is_empty());
    }

    /// Static values for the placeholders of `t` (in the English text's order).
    fn static_args(t: &Template) -> Vec<(&'static str, &'static str)> {
        let spans = t.en.spans.get(..t.en.len).unwrap();
        spans
            .iter()
            .skip(1)
            .step_by(2)
            .map(|(start, end)| {
                let name = t.t.en.get(usize::from(*start)..usize::from(*end)).unwrap();
                let value = match name {
                    "stage" | "assessed" => "primary",
                    "stages" => "preschool, masters",
                    "status" => "dibao",
                    "level" => "especially",
                    "from" => "2019-09-01",
                    "grade" => "3",
                    _ => "none",
                };
                (name, value)
            })
            .collect()
    }

    fn reason_of(
        t: &'static Template,
        args: &[(&'static str, &'static str)],
        lang: Lang,
    ) -> Reason {
        match *args {
            [] => Reason::of(t, [], lang),
            [(a, x)] => Reason::of(t, [(a, Arg::Str(x))], lang),
            [(a, x), (b, y)] => Reason::of(t, [(a, Arg::Str(x)), (b, Arg::Str(y))], lang),
            [(a, x), (b, y), (c, z)] => Reason::of(
                t,
                [(a, Arg::Str(x)), (b, Arg::Str(y)), (c, Arg::Str(z))],
                lang,
            ),
            _ => panic!("{} has more than three placeholders", t.t.code),
        }
    }

    #[test]
    fn the_programs_path_renders_as_render_template() {
        for t in TEMPLATES {
            let args = static_args(t);
            let owned: Vec<(&str, String)> =
                args.iter().map(|(k, v)| (*k, v.to_string())).collect();
            for lang in [Lang::En, Lang::Zh] {
                let reason = reason_of(t, &args, lang);
                assert_eq!(
                    reason.message,
                    render_template(&t.t, lang, &owned),
                    "{}",
                    t.t.code
                );
                assert_eq!(reason, Reason::new(t.t.code, &owned, lang), "{}", t.t.code);
            }
        }
    }

    #[test]
    fn args_render_as_display_does() {
        use crate::profile::Stage;
        for n in [0u64, 1, 9, 10, 20, 21, 100, u64::MAX] {
            assert_eq!(Arg::Num(n).into_text(), n.to_string());
        }
        assert!(matches!(Arg::Num(6).into_text(), Cow::Borrowed("6")));
        // A date is its ISO text (what the templates' `{from}` shows).
        let date = chrono::NaiveDate::from_ymd_opt(2019, 9, 1).unwrap();
        assert_eq!(Arg::Date(Some(date)).into_text(), "2019-09-01");
        assert_eq!(Arg::Date(None).into_text(), "");
        assert!(matches!(
            Arg::Fmt(format_args!("plain")).into_text(),
            Cow::Borrowed("plain")
        ));
        assert_eq!(Arg::Fmt(format_args!("2-{}", 4)).into_text(), "2-4");
        // Every stage list of the catalogue is borrowed, and each text is the list joined.
        for (list, text) in STAGE_LISTS {
            assert_eq!(join_stages(list), *text);
        }
        for p in crate::programs::CATALOGUE {
            assert!(
                matches!(stages_text(p.stages), Cow::Borrowed(_)),
                "{}: {:?}",
                p.id,
                p.stages
            );
            assert_eq!(stages_text(p.stages), join_stages(p.stages));
        }
        let odd = [Stage::Doctoral, Stage::Preschool];
        assert!(matches!(stages_text(&odd), Cow::Owned(_)));
        assert_eq!(stages_text(&odd), "doctoral, preschool");
        assert_eq!(stages_text(&[]), "");
    }

    /// The JSON of reasons as the struct of `String`s and a `BTreeMap` wrote it before
    /// issue 10, byte for byte.
    #[test]
    fn reasons_serialize_as_before() {
        let json = |r: &Reason| serde_json::to_string(r).unwrap();
        let stage_not_covered = |lang| {
            Reason::of(
                &STAGE_NOT_COVERED,
                [
                    (
                        "stages",
                        Arg::Stages(&[
                            crate::profile::Stage::HigherVocational,
                            crate::profile::Stage::Undergraduate,
                        ]),
                    ),
                    ("stage", Arg::Str("junior_middle")),
                ],
                lang,
            )
        };
        assert_eq!(
            json(&stage_not_covered(Lang::En)),
            r#"{"code":"stage_not_covered","params":{"stage":"junior_middle","stages":"higher_vocational, undergraduate"},"message":"the program covers higher_vocational, undergraduate; the student is in junior_middle"}"#
        );
        assert_eq!(
            json(&stage_not_covered(Lang::Zh)),
            r#"{"code":"stage_not_covered","params":{"stage":"junior_middle","stages":"higher_vocational, undergraduate"},"message":"该项目面向高职专科、本科，学生就读初中"}"#
        );
        assert_eq!(
            json(&Reason::of(&EVERY_STUDENT, [], Lang::En)),
            r#"{"code":"every_student","params":{},"message":"every student of the stage is covered"}"#
        );
        let level_raised = |lang| {
            Reason::of(
                &LEVEL_RAISED,
                [
                    ("assessed", Arg::Str("general")),
                    ("level", Arg::Str("especially")),
                    ("status", Arg::Str("dibao")),
                ],
                lang,
            )
        };
        assert_eq!(
            json(&level_raised(Lang::En)),
            r#"{"code":"level_raised","params":{"assessed":"general","level":"especially","status":"dibao"},"message":"the assessed level 'general' is raised to 'especially' by the key group (dibao)"}"#
        );
        assert_eq!(
            json(&level_raised(Lang::Zh)),
            r#"{"code":"level_raised","params":{"assessed":"general","level":"especially","status":"dibao"},"message":"认定等级“一般困难”因重点保障对象（低保）提高为“特别困难”"}"#
        );
        let from = chrono::NaiveDate::from_ymd_opt(2019, 9, 1);
        assert_eq!(
            json(&Reason::of(
                &RULE_NOT_IN_FORCE,
                [("from", Arg::Date(from))],
                Lang::En
            )),
            r#"{"code":"rule_not_in_force","params":{"from":"2019-09-01"},"message":"this rule is in force from 2019-09-01"}"#
        );
        assert_eq!(
            json(&Reason::of(
                &GRADE_NOT_COVERED,
                [
                    ("grades", Arg::Fmt(format_args!("2-{}", 4))),
                    ("grade", Arg::Num(1))
                ],
                Lang::Zh
            )),
            r#"{"code":"grade_not_covered","params":{"grade":"1","grades":"2-4"},"message":"该项目面向2-4年级，学生就读1年级"}"#
        );
        assert_eq!(
            json(&Reason::of(
                &REGIONAL_RULE,
                [
                    ("region", Arg::Text("150924")),
                    ("rule", Arg::Text("泛海助学"))
                ],
                Lang::Zh
            )),
            r#"{"code":"regional_rule","params":{"region":"150924","rule":"泛海助学"},"message":"150924地方规定：泛海助学"}"#
        );
        // `Reason::new` (by code), including an unknown code, and the way back.
        let r = Reason::new(
            "no_such_code",
            &[("b", "2".to_string()), ("a", "1".to_string())],
            Lang::En,
        );
        let text = json(&r);
        assert_eq!(
            text,
            r#"{"code":"no_such_code","params":{"a":"1","b":"2"},"message":"no_such_code"}"#
        );
        assert_eq!(serde_json::from_str::<Reason>(&text).unwrap(), r);
        let r = Reason::new(
            "rule_not_in_force",
            &[("from", "2019-09-01".into())],
            Lang::Zh,
        );
        assert!(matches!(r.code, Cow::Borrowed("rule_not_in_force")));
        assert_eq!(
            json(&r),
            r#"{"code":"rule_not_in_force","params":{"from":"2019-09-01"},"message":"该政策自2019-09-01起施行"}"#
        );
        let back: Reason = serde_json::from_str(&json(&level_raised(Lang::Zh))).unwrap();
        assert_eq!(back, level_raised(Lang::Zh));
        assert!(serde_json::from_str::<Reason>(
            r#"{"code":"x","params":{"a":"1","a":"1"},"message":"x"}"#
        )
        .is_err());
    }

    #[test]
    fn render_takes_a_map_or_a_reasons_params() {
        let r = Reason::of(
            &STAGE_NOT_COVERED,
            [
                ("stages", Arg::Stages(&[crate::profile::Stage::Masters])),
                ("stage", Arg::Str("primary")),
            ],
            Lang::Zh,
        );
        let map = BTreeMap::from(&r.params);
        assert_eq!(render(&r.code, &r.params, Lang::Zh), r.message);
        assert_eq!(render(&r.code, &map, Lang::Zh), r.message);
        assert_eq!(render("unknown", &map, Lang::En), "unknown");
    }

    #[test]
    fn renders() {
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::En);
        assert_eq!(r.message, "the student is in primary");
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::Zh);
        assert_eq!(r.message, "学生就读学段为小学");
    }

    #[test]
    fn stage_reasons_borrow_the_rendered_message() {
        use crate::profile::Stage;
        let own_list: &[Stage] = &[Stage::Preschool, Stage::Doctoral];
        let lists = Stage::ALL
            .iter()
            .map(std::slice::from_ref)
            .chain(STAGE_LISTS.iter().map(|(l, _)| *l))
            .chain([own_list]);
        for list in lists {
            for stage in Stage::ALL {
                for lang in [Lang::En, Lang::Zh] {
                    let args = [
                        ("stages", Arg::Stages(list)),
                        ("stage", Arg::Str(stage.as_str())),
                    ];
                    let fast = Reason::stage_not_covered(list, *stage, lang);
                    assert_eq!(fast, Reason::of(&STAGE_NOT_COVERED, args, lang));
                    // Only an overlay's own list is rendered anew.
                    assert_eq!(
                        matches!(fast.message, Cow::Borrowed(_)),
                        list != own_list,
                        "{list:?}"
                    );
                    let args = [("stage", Arg::Str(stage.as_str()))];
                    let fast = Reason::stage_in(*stage, lang);
                    assert_eq!(fast, Reason::of(&STAGE_IN, args, lang));
                    assert!(matches!(fast.message, Cow::Borrowed(_)));
                }
            }
        }
        for status in crate::profile::HouseholdStatus::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let arg = || Arg::Str(status.as_str());
                let fast = Reason::key_group(*status, lang);
                assert_eq!(fast, Reason::of(&KEY_GROUP, [("status", arg())], lang));
                assert!(matches!(fast.message, Cow::Borrowed(_)));
                let fast = Reason::level_derived(*status, lang);
                let level = ("level", Arg::Str("especially"));
                assert_eq!(
                    fast,
                    Reason::of(&LEVEL_DERIVED, [("status", arg()), level], lang)
                );
                assert!(matches!(fast.message, Cow::Borrowed(_)));
            }
        }
        for (i, status) in crate::profile::HouseholdStatus::ALL.iter().enumerate() {
            assert_eq!(*status as usize, i);
        }
        // The table is indexed by `stage as usize`: the declaration order is `Stage::ALL`'s.
        for (i, stage) in Stage::ALL.iter().enumerate() {
            assert_eq!(*stage as usize, i);
        }
        let r = Reason::stage_not_covered(
            &[Stage::Primary, Stage::JuniorMiddle],
            Stage::Masters,
            Lang::Zh,
        );
        assert_eq!(r.message, "该项目面向小学、初中，学生就读硕士研究生");
    }

    #[test]
    fn reasons_list_keeps_one_inline_and_reads_as_a_vec() {
        let a = Reason::new("stage_in", &[("stage", "primary".into())], Lang::En);
        let b = Reason::new("every_student", &[], Lang::En);
        let mut list = Reasons::new();
        assert!(list.is_empty());
        list.push(a.clone());
        assert!(matches!(list.repr, ListRepr::One(_)));
        assert_eq!(list.as_slice(), std::slice::from_ref(&a));
        list.push(b.clone());
        assert_eq!(list.to_vec(), vec![a.clone(), b.clone()]);
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(
            json,
            serde_json::to_string(&vec![a.clone(), b.clone()]).unwrap()
        );
        assert_eq!(serde_json::from_str::<Reasons>(&json).unwrap(), list);
        assert_eq!(
            format!("{list:?}"),
            format!("{:?}", vec![a.clone(), b.clone()])
        );
        list.retain(|r| r.code == "every_student");
        assert_eq!(list.as_slice(), std::slice::from_ref(&b));
        let mut one = Reasons::one(a.clone());
        one.append(Reasons::from(vec![b.clone()]));
        assert_eq!(one.into_iter().collect::<Vec<_>>(), vec![a.clone(), b]);
        let mut one = Reasons::one(a);
        one.retain(|_| false);
        assert!(one.is_empty());
        assert_eq!(serde_json::to_string(&one).unwrap(), "[]");
        assert_eq!(Reasons::one(Reason::silent()).into_iter().count(), 1);
    }
}
