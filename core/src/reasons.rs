//! Reasons (理由): why a program is granted or not, with a stable code, named parameters
//! and a message rendered in Chinese or English.
//!
//! The catalogue ([`CATALOGUE`]) is public, so any caller can render or translate a reason
//! itself. Templates name their parameters in braces (`{stage}`); a reason's `params`
//! supply them. Codes are stable: a code is never renamed or reused for another meaning.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable code from [`CATALOGUE`].
    pub code: String,
    /// Named parameters of the template.
    pub params: BTreeMap<String, String>,
    /// The message rendered in the requested language.
    pub message: String,
}

impl Reason {
    /// A reason with parameters, rendered in `lang`.
    pub fn new(code: &str, params: &[(&str, String)], lang: Lang) -> Reason {
        let message = match template(code) {
            Some(t) => render_template(t, lang, params),
            None => code.to_string(),
        };
        let params: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        Reason {
            code: code.to_string(),
            params,
            message,
        }
    }

    /// A reason of template `t` with its arguments, rendered in `lang`: the programs' path,
    /// which names the template directly (no lookup by code) and turns each argument into
    /// text once, moving it into `params` after the message is rendered from it.
    pub(crate) fn of<const N: usize>(
        t: &'static Template,
        args: [(&'static str, Arg<'_>); N],
        lang: Lang,
    ) -> Reason {
        let values: [(&'static str, String); N] = args.map(|(k, a)| (k, a.into_text()));
        let message = render_cut(t, lang, &values);
        let mut params = BTreeMap::new();
        for (k, v) in values {
            params.insert(k.to_string(), v);
        }
        Reason {
            code: t.t.code.to_string(),
            params,
            message,
        }
    }

    /// An empty reason, for internal evaluations whose reasons are never shown (the
    /// term-by-term payment runs): no allocation, no rendering.
    pub fn silent() -> Reason {
        Reason {
            code: String::new(),
            params: BTreeMap::new(),
            message: String::new(),
        }
    }
}

/// A parameter of a reason, turned into text only when the reason is built, so that an
/// evaluation without reasons spends nothing on it.
#[derive(Debug, Clone)]
pub(crate) enum Arg<'a> {
    /// Text as is.
    Str(&'a str),
    /// A whole number (grades).
    Num(u64),
    /// A date; none is the empty text (a rule with no date in force).
    Date(Option<chrono::NaiveDate>),
    /// Stages, joined with `", "`.
    Stages(&'a [crate::profile::Stage]),
    /// Formatted text.
    Fmt(std::fmt::Arguments<'a>),
}

impl Arg<'_> {
    fn into_text(self) -> String {
        match self {
            Arg::Str(s) => s.to_string(),
            Arg::Num(n) => n.to_string(),
            Arg::Date(None) => String::new(),
            Arg::Date(Some(d)) => d.to_string(),
            Arg::Stages(stages) => {
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
            Arg::Fmt(a) => a.to_string(),
        }
    }
}

/// The byte offset of `b` in `s` (`{` and `}` are ASCII, so the offset is a char boundary);
/// a plain byte scan, cheaper than a char search on templates this short.
fn byte_at(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|c| c == b)
}

/// Render a template in one pass, substituting `{name}` from `params` (in Chinese, the
/// values' Chinese labels); a placeholder with no parameter stays as it is.
fn render_template(t: &ReasonTemplate, lang: Lang, params: &[(&str, String)]) -> String {
    let template = match lang {
        Lang::En => t.en,
        Lang::Zh => t.zh,
    };
    // One allocation: Chinese labels and separators are at most three times the bytes of
    // the English names they replace.
    let values: usize = params.iter().map(|(_, v)| v.len()).sum();
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
            Some((_, v)) if lang == Lang::Zh => push_zh_list(&mut out, v),
            Some((_, v)) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Render a template cut at build time (as [`render_template`] renders it).
fn render_cut(t: &Template, lang: Lang, params: &[(&str, String)]) -> String {
    let (text, cuts) = match lang {
        Lang::En => (t.t.en, &t.en),
        Lang::Zh => (t.t.zh, &t.zh),
    };
    let values: usize = params.iter().map(|(_, v)| v.len()).sum();
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
            Some((_, v)) if lang == Lang::Zh => push_zh_list(&mut out, v),
            Some((_, v)) => out.push_str(v),
            None => {
                out.push('{');
                out.push_str(piece);
                out.push('}');
            }
        }
    }
    out
}

/// Render `code` with `params` in `lang`. An unknown code renders as the code itself.
pub fn render(code: &str, params: &BTreeMap<String, String>, lang: Lang) -> String {
    let Some(t) = template(code) else {
        return code.to_string();
    };
    let mut out = match lang {
        Lang::En => t.en.to_string(),
        Lang::Zh => t.zh.to_string(),
    };
    for (k, v) in params {
        let shown = match lang {
            Lang::Zh => zh_list(v),
            Lang::En => v.clone(),
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
    fn renders() {
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::En);
        assert_eq!(r.message, "the student is in primary");
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::Zh);
        assert_eq!(r.message, "学生就读学段为小学");
    }
}
