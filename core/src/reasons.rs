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

/// Every reason code, with its templates.
pub const CATALOGUE: &[ReasonTemplate] = &[
    // --- grounds that grant --------------------------------------------------------
    t(
        "stage_in",
        "the student is in {stage}",
        "学生就读学段为{stage}",
    ),
    t(
        "grade_in",
        "the student is in grade {grade}",
        "学生就读{grade}年级",
    ),
    t(
        "every_student",
        "every student of the stage is covered",
        "该学段全体学生均享受",
    ),
    t("boarding", "the student boards at school", "学生为寄宿生"),
    t(
        "non_boarder_key_group",
        "a non-boarder in a key group is covered from {from}",
        "自{from}起重点保障对象非寄宿生纳入补助范围",
    ),
    t(
        "key_group",
        "the household is in a key group ({status})",
        "家庭属于重点保障对象（{status}）",
    ),
    t(
        "difficulty_level",
        "family economic difficulty level: {level}",
        "家庭经济困难等级：{level}",
    ),
    t(
        "level_derived",
        "the level is 'especially' because the household is in a key group ({status})",
        "因家庭属于重点保障对象（{status}），认定为特别困难",
    ),
    t(
        "level_raised",
        "the assessed level '{assessed}' is raised to '{level}' by the key group ({status})",
        "认定等级“{assessed}”因重点保障对象（{status}）提高为“{level}”",
    ),
    t(
        "tier",
        "paid at the {tier} tier of the standard",
        "按{tier}档标准资助",
    ),
    t(
        "higher_of_grounds",
        "eligible on several grounds: the higher amount is paid ({ground})",
        "符合多项条件，按较高标准资助（{ground}）",
    ),
    t(
        "full_time_formal",
        "full-time formal enrolment",
        "全日制正式学籍",
    ),
    t(
        "rural_hukou",
        "rural household registration (county towns included)",
        "农村户籍（含县镇）",
    ),
    t("agriculture_major", "agriculture-related major", "涉农专业"),
    t(
        "disabled_with_level",
        "a disabled student with a difficulty level",
        "家庭经济困难残疾学生",
    ),
    t(
        "disability",
        "the student has a disability (grade {grade})",
        "残疾儿童（{grade}级）",
    ),
    t("orphan", "the child is an orphan", "孤儿"),
    t(
        "pilot_area",
        "the school is in a nutrition pilot area ({pilot})",
        "学校位于营养改善计划试点地区（{pilot}）",
    ),
    t(
        "school_not_city",
        "the school is not in a city district ({location})",
        "学校不在城区（{location}）",
    ),
    t(
        "final_preschool_year",
        "final preschool year, free from {from}",
        "学前一年，自{from}起免保育教育费",
    ),
    t(
        "award_granted",
        "the award {award} was granted",
        "已获评{award}",
    ),
    t(
        "veteran",
        "a retired-soldier student receives at least the national average",
        "退役士兵学生至少按平均标准资助",
    ),
    t(
        "no_fixed_salary",
        "the graduate student has no fixed salary",
        "研究生无固定工资收入",
    ),
    t(
        "institution",
        "institution: {institution}",
        "院校类别：{institution}",
    ),
    t(
        "household_status",
        "the household is {status}",
        "家庭为{status}",
    ),
    t(
        "regional_standard_missing",
        "the amount is set by the province; no regional standard is loaded",
        "资助标准由省级确定，未加载地方标准",
    ),
    t(
        "local_fee_not_set",
        "the fee waived is the local fee; none is loaded, so 0.00 is shown",
        "免除金额为当地收费标准，未加载地方标准，显示为0.00",
    ),
    t(
        "regional_rule",
        "regional rule of {region}: {rule}",
        "{region}地方规定：{rule}",
    ),
    // --- notes that do not decide ----------------------------------------------------
    t(
        "monitoring_not_in_force",
        "monitoring statuses are ignored before {from} (no monitored households then)",
        "{from}前尚无防止返贫监测对象，监测户身份不予考虑",
    ),
    t(
        "monitoring_risk_removed",
        "the monitored household's risk has been removed",
        "监测户已消除风险",
    ),
    // --- grounds that refuse ---------------------------------------------------------
    t(
        "stage_not_covered",
        "the program covers {stages}; the student is in {stage}",
        "该项目面向{stages}，学生就读{stage}",
    ),
    t(
        "grade_not_covered",
        "the program covers grades {grades} of the stage; the student is in grade {grade}",
        "该项目面向{grades}年级，学生就读{grade}年级",
    ),
    t(
        "rule_not_in_force",
        "this rule is in force from {from}",
        "该政策自{from}起施行",
    ),
    t(
        "no_difficulty_level",
        "no family economic difficulty level (assessed or derived)",
        "未认定家庭经济困难等级，也不属于重点保障对象",
    ),
    t(
        "not_key_group",
        "a non-boarder must be in a key group",
        "非寄宿生须属于重点保障对象",
    ),
    t(
        "not_boarding",
        "the student does not board at school",
        "学生非寄宿生",
    ),
    t(
        "not_full_time",
        "not in full-time formal enrolment",
        "非全日制正式学籍",
    ),
    t(
        "performing_arts_major",
        "performing-arts majors are excluded",
        "艺术类相关表演专业不享受",
    ),
    t(
        "no_qualifying_ground",
        "none of the grounds applies ({grounds})",
        "不符合任一条件（{grounds}）",
    ),
    t(
        "no_qualifying_status",
        "the household is none of {statuses}",
        "家庭不属于{statuses}",
    ),
    t(
        "not_pilot_area",
        "the school region ({region}) is not in a nutrition pilot area",
        "学校所在地区（{region}）不属于营养改善计划试点地区",
    ),
    t(
        "city_school",
        "schools in city districts are not covered",
        "城区学校不在范围内",
    ),
    t(
        "award_not_granted",
        "the award {award} was not granted",
        "未获评{award}",
    ),
    t(
        "has_fixed_salary",
        "graduate students with a fixed salary are excluded",
        "有固定工资收入的研究生不享受",
    ),
    t(
        "urban_hukou_not_covered",
        "only rural hukou (dibao, tekun) qualifies on this ground",
        "城镇户籍的低保、特困学生不属于该条件",
    ),
];

const fn t(code: &'static str, en: &'static str, zh: &'static str) -> ReasonTemplate {
    ReasonTemplate { code, en, zh }
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
        let message = render_pairs(code, params, lang);
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

/// Render a template in one pass, substituting `{name}` from `params`.
fn render_pairs(code: &str, params: &[(&str, String)], lang: Lang) -> String {
    let Some(t) = template(code) else {
        return code.to_string();
    };
    let template = match lang {
        Lang::En => t.en,
        Lang::Zh => t.zh,
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(open..).unwrap_or_default());
            rest = "";
            break;
        };
        let name = after.get(..close).unwrap_or_default();
        match params.iter().find(|(k, _)| *k == name) {
            Some((_, v)) if lang == Lang::Zh => out.push_str(&zh_list(v)),
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
    if value.contains(", ") {
        value
            .split(", ")
            .map(zh_label)
            .collect::<Vec<_>>()
            .join("、")
    } else {
        zh_label(value).to_string()
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
    fn renders() {
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::En);
        assert_eq!(r.message, "the student is in primary");
        let r = Reason::new("stage_in", &[("stage", "primary".into())], Lang::Zh);
        assert_eq!(r.message, "学生就读学段为小学");
    }
}
