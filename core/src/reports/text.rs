//! Reports as plain-text tables (文本报表), for a terminal or a printed page, in English
//! or Chinese. Pure string building; columns are aligned by display width (a Chinese
//! character takes two columns).

use super::{RosterReport, WhatIf};
use crate::money::Money;
use crate::programs::Kind;
use crate::reasons::Lang;
use std::fmt::Write;

/// How many gaps, flags and changed students the text lists (the JSON form has all).
const LISTED: usize = 10;

/// Display width of a string in a terminal: East Asian wide characters count two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = u32::from(c);
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// An amount of yuan with thousands separators: `1,234,567.00`.
pub fn yuan(m: Money) -> String {
    let text = m.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    format!("{sign}{}.{frac}", group(whole))
}

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    group(&n.to_string())
}

fn group(whole: &str) -> String {
    let mut out = String::new();
    let n = whole.len();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed change with an explicit `+`.
fn signed_yuan(m: Money) -> String {
    if m > Money::ZERO {
        format!("+{}", yuan(m))
    } else {
        yuan(m)
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{}", count(n.unsigned_abs()))
    } else if n < 0 {
        format!("-{}", count(n.unsigned_abs()))
    } else {
        "0".into()
    }
}

/// A column: header and whether it is right-aligned (numbers).
struct Col<'a>(&'a str, bool);

fn table(out: &mut String, cols: &[Col], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = cols.iter().map(|c| display_width(c.0)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let line = |out: &mut String, cells: &[String]| {
        let mut text = String::from("  ");
        for ((cell, col), w) in cells.iter().zip(cols).zip(&widths) {
            let pad = " ".repeat(w.saturating_sub(display_width(cell)));
            if col.1 {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
            text.push_str("  ");
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    let headers: Vec<String> = cols.iter().map(|c| c.0.to_string()).collect();
    line(out, &headers);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule);
    for row in rows {
        line(out, row);
    }
}

fn heading(out: &mut String, text: &str) {
    out.push('\n');
    out.push_str(text);
    out.push('\n');
}

/// The Chinese name of a stage (学段).
pub fn stage_zh(stage: &str) -> &'static str {
    match stage {
        "preschool" => "学前教育",
        "primary" => "小学",
        "junior_middle" => "初中",
        "general_high" => "普通高中",
        "secondary_vocational" => "中等职业教育",
        "higher_vocational" => "高职专科",
        "undergraduate" => "本科",
        "masters" => "硕士研究生",
        "doctoral" => "博士研究生",
        _ => "",
    }
}

/// The name of a stage in `lang`.
pub fn stage_name(stage: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh if !stage_zh(stage).is_empty() => stage_zh(stage).into(),
        _ => stage.into(),
    }
}

/// The name of a term in `lang`: `2025-autumn`, or `2025年秋季学期`.
pub fn term_name(term: crate::calendar::Term, lang: Lang) -> String {
    match lang {
        Lang::En => term.to_string(),
        Lang::Zh => match term.season {
            crate::calendar::Season::Autumn => format!("{}年秋季学期", term.year),
            crate::calendar::Season::Spring => format!("{}年春季学期", term.year),
        },
    }
}

/// A short label of a coverage-gap reason code in `lang`.
pub fn gap_reason_name(code: &str, lang: Lang) -> String {
    let zh = match code {
        "regional_standard_missing" => "省级资助标准未载入",
        "not_full_time" => "非全日制正式学籍",
        "no_cash_program" => "该学段无现金资助项目",
        "no_difficulty_level" => "未认定家庭经济困难",
        "not_boarding" => "非寄宿生",
        "grade_not_covered" => "年级不在资助范围",
        "rule_not_in_force" => "政策尚未生效",
        "not_key_group" => "非重点保障对象",
        "has_fixed_salary" => "有固定工资收入",
        _ => "",
    };
    match lang {
        Lang::Zh if !zh.is_empty() => zh.into(),
        _ => code.replace('_', " "),
    }
}

/// The name of a program in `lang`: its id, or its Chinese name.
pub fn program_name(id: &str, lang: Lang) -> String {
    match (lang, crate::programs::program(id)) {
        (Lang::Zh, Some(p)) => p.name_zh.to_string(),
        _ => id.to_string(),
    }
}

/// The name of a household status in `lang`.
pub fn status_name(status: crate::profile::HouseholdStatus, lang: Lang) -> &'static str {
    match lang {
        Lang::En => status.as_str(),
        Lang::Zh => crate::reconcile::status_zh(status),
    }
}

/// Key-group statuses for display; an empty list means the student counts as key by a
/// disability (own or a parent's) with an assessed difficulty level (programs.md).
pub fn key_statuses(statuses: &[crate::profile::HouseholdStatus], lang: Lang) -> String {
    if statuses.is_empty() {
        return tr(lang, "disability, assessed", "残疾（已认定困难）").into();
    }
    let sep = tr(lang, ",", "、");
    statuses
        .iter()
        .map(|s| status_name(*s, lang))
        .collect::<Vec<_>>()
        .join(sep)
}

/// The name of a kind in `lang`.
pub fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match lang {
        Lang::En => kind.as_str(),
        Lang::Zh => match kind {
            Kind::Cash => "现金",
            Kind::Award => "奖学金",
            Kind::InKind => "实物",
            Kind::Waiver => "免除",
            Kind::Loan => "贷款",
        },
    }
}

fn region_name(region: &str, lang: Lang) -> String {
    if region.is_empty() {
        match lang {
            Lang::En => "(none)".into(),
            Lang::Zh => "（未填）".into(),
        }
    } else {
        region.into()
    }
}

fn tr<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The roster report as text, under `title` (e.g. the county's name).
pub fn roster(report: &RosterReport, title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let t = &report.totals.students;
    let [autumn, spring] = report.school_year.terms();
    let fp: String = report.policy.fingerprint.chars().take(12).collect();
    let regions = if report.policy.regions.is_empty() {
        tr(lang, "none", "无").to_string()
    } else {
        report.policy.regions.join(", ")
    };
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{title}\nStudent aid report as of {} (school year {}–{}: {autumn}, {spring})\n\
             Policy {} version {}, overlays: {regions}, fingerprint {fp}",
            report.as_of,
            report.school_year.0,
            report.school_year.0 + 1,
            report.policy.id,
            report.policy.version,
        ),
        Lang::Zh => writeln!(
            out,
            "{title}\n学生资助统计表　统计日期 {}（{}—{}学年：{}、{}）\n\
             政策 {} 版本 {}，地方政策：{regions}，指纹 {fp}",
            report.as_of,
            report.school_year.0,
            report.school_year.0 + 1,
            term_name(autumn, lang),
            term_name(spring, lang),
            report.policy.id,
            report.policy.version,
        ),
    };
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "\nStudents {} ({} rows in error) · key group {} · economically difficult {} · \
             receiving cash {}\nCash and awards this school year: {} yuan in {} person-times \
             (all aid: {} person-times)",
            count(t.students),
            count(report.totals.errors),
            count(t.key_group),
            count(t.economically_difficult),
            count(t.with_cash),
            yuan(t.school_year_cash),
            count(t.cash_person_times),
            count(t.person_times),
        ),
        Lang::Zh => writeln!(
            out,
            "\n学生 {} 人（错误行 {}）· 重点保障对象 {} 人 · 家庭经济困难 {} 人 · 享受现金资助 {} 人\n\
             本学年现金资助及奖学金 {} 元，{} 人次（含免除、实物在内共 {} 人次）",
            count(t.students),
            count(report.totals.errors),
            count(t.key_group),
            count(t.economically_difficult),
            count(t.with_cash),
            yuan(t.school_year_cash),
            count(t.cash_person_times),
            count(t.person_times),
        ),
    };

    heading(&mut out, tr(lang, "By program", "分项目（本学年）"));
    let autumn_h = term_name(autumn, lang);
    let spring_h = term_name(spring, lang);
    let cols = [
        Col(tr(lang, "Program", "项目"), false),
        Col(tr(lang, "Kind", "类别"), false),
        Col(tr(lang, "Students", "人数"), true),
        Col(tr(lang, "Person-times", "人次"), true),
        Col(&autumn_h, true),
        Col(&spring_h, true),
        Col(tr(lang, "School year", "本学年合计"), true),
    ];
    let mut rows = Vec::new();
    for p in &report.by_program {
        let term = |term| {
            p.terms
                .iter()
                .find(|x| x.term == term)
                .map(|x| yuan(x.amount))
                .unwrap_or_else(|| "-".into())
        };
        let mut total = yuan(p.school_year_total);
        if p.students_without_amount > 0 {
            total = format!(
                "{total} ({} {})",
                count(p.students_without_amount),
                tr(lang, "without amount", "人无标准")
            );
        }
        rows.push(vec![
            match lang {
                Lang::En => p.program.clone(),
                Lang::Zh => p.name_zh.clone(),
            },
            kind_name(p.kind, lang).into(),
            count(p.students),
            count(p.person_times),
            term(autumn),
            term(spring),
            total,
        ]);
    }
    for k in &report.by_kind {
        rows.push(vec![
            match lang {
                Lang::En => format!("total {}", k.kind.as_str()),
                Lang::Zh => format!("{}合计", kind_name(k.kind, lang)),
            },
            kind_name(k.kind, lang).into(),
            count(k.students),
            count(k.person_times),
            String::new(),
            String::new(),
            yuan(k.school_year_total),
        ]);
    }
    table(&mut out, &cols, &rows);
    out.push_str(tr(
        lang,
        "  (waivers: the fees waived, 0.00 where no local fee is loaded; loans: the caps a student may borrow)\n",
        "  （免除类为免收费用，未载入地方收费标准时为0.00；贷款为可申请额度上限）\n",
    ));

    let group_cols = |first: &'static str, first_zh: &'static str| {
        [
            Col(tr(lang, first, first_zh), false),
            Col(tr(lang, "Students", "学生"), true),
            Col(tr(lang, "Key group", "重点保障"), true),
            Col(tr(lang, "Difficult", "经济困难"), true),
            Col(tr(lang, "With cash", "享受现金"), true),
            Col(tr(lang, "Cash person-times", "现金人次"), true),
            Col(tr(lang, "Cash this school year", "本学年现金"), true),
        ]
    };
    let group_row = |name: String, g: &super::GroupTotal| {
        vec![
            name,
            count(g.students),
            count(g.key_group),
            count(g.economically_difficult),
            count(g.with_cash),
            count(g.cash_person_times),
            yuan(g.school_year_cash),
        ]
    };
    heading(&mut out, tr(lang, "By stage", "分学段"));
    let mut rows: Vec<Vec<String>> = report
        .by_stage
        .iter()
        .map(|g| group_row(stage_name(&g.group, lang), g))
        .collect();
    rows.push(group_row(tr(lang, "total", "合计").into(), t));
    table(&mut out, &group_cols("Stage", "学段"), &rows);

    heading(&mut out, tr(lang, "By school region", "分就读地区"));
    let rows: Vec<Vec<String>> = report
        .by_region
        .iter()
        .map(|g| group_row(region_name(&g.group, lang), g))
        .collect();
    table(&mut out, &group_cols("Region", "地区代码"), &rows);

    let c = &report.coverage;
    heading(&mut out, tr(lang, "Coverage (应助尽助)", "应助尽助核查"));
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "  Key-group students {}: {} receive cash, {} receive none.",
            count(c.key_group_students),
            count(c.key_group_with_cash),
            count(c.gaps.len() as u64)
        ),
        Lang::Zh => writeln!(
            out,
            "  重点保障对象 {} 人：享受现金资助 {} 人，未享受 {} 人。",
            count(c.key_group_students),
            count(c.key_group_with_cash),
            count(c.gaps.len() as u64)
        ),
    };
    if !c.gaps.is_empty() {
        let by_stage: Vec<String> = c
            .gaps_by_stage
            .iter()
            .map(|s| format!("{} {}", stage_name(&s.code, lang), count(s.students)))
            .collect();
        let by_reason: Vec<String> = c
            .gaps_by_reason
            .iter()
            .map(|s| format!("{} {}", gap_reason_name(&s.code, lang), count(s.students)))
            .collect();
        let _ = writeln!(
            out,
            "  {}: {}\n  {}: {}",
            tr(lang, "by stage", "按学段"),
            by_stage.join(", "),
            tr(lang, "by first reason", "按首要原因"),
            by_reason.join(", ")
        );
        for g in c.gaps.iter().take(LISTED) {
            let why: Vec<String> = g
                .reasons
                .iter()
                .take(2)
                .map(|r| {
                    if r.program.is_empty() {
                        r.message.clone()
                    } else {
                        format!("{}: {}", program_name(&r.program, lang), r.message)
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "    {} {} {} {} [{}] — {}",
                tr(lang, "row", "行"),
                g.row,
                g.student_id,
                format_args!("{} {}", stage_name(g.stage.as_str(), lang), g.grade),
                key_statuses(&g.key_statuses, lang),
                why.join("; ")
            );
        }
        if c.gaps.len() > LISTED {
            let _ = writeln!(
                out,
                "    … {} {}",
                count((c.gaps.len() - LISTED) as u64),
                tr(
                    lang,
                    "more (see the JSON or --gaps output)",
                    "条未列出（见 JSON 或 --gaps 输出）"
                )
            );
        }
    }
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "  Studying outside the hukou region (外地就读): {} students; {} economically difficult \
             or key-group students to check with the place of study (seed 004).",
            count(c.studying_elsewhere_students),
            count(c.studying_elsewhere.len() as u64)
        ),
        Lang::Zh => writeln!(
            out,
            "  户籍地与就读地不一致（外地就读）{} 人，其中家庭经济困难或重点保障对象 {} 人，需向就读地核实受助情况。",
            count(c.studying_elsewhere_students),
            count(c.studying_elsewhere.len() as u64)
        ),
    };
    for f in c.studying_elsewhere.iter().take(LISTED) {
        let arrow = match (f.direction.as_str(), lang) {
            ("outgoing", Lang::En) => "studies elsewhere",
            ("outgoing", Lang::Zh) => "外出就读",
            ("incoming", Lang::En) => "studies here",
            ("incoming", Lang::Zh) => "来本地就读",
            _ => "",
        };
        let _ = writeln!(
            out,
            "    {} {} {} {} {} {} → {} {}: {} {}",
            tr(lang, "row", "行"),
            f.row,
            f.student_id,
            stage_name(f.stage.as_str(), lang),
            f.grade,
            f.hukou_region,
            f.school_region,
            arrow,
            yuan(f.expected_school_year_cash),
            tr(lang, "yuan expected this school year", "元（本学年应享受）"),
        );
    }
    if c.studying_elsewhere.len() > LISTED {
        let _ = writeln!(
            out,
            "    … {} {}",
            count((c.studying_elsewhere.len() - LISTED) as u64),
            tr(lang, "more", "条未列出")
        );
    }
    if !report.row_errors.is_empty() {
        heading(&mut out, tr(lang, "Rows in error", "错误行"));
        for e in report.row_errors.iter().take(LISTED) {
            let _ = writeln!(
                out,
                "  {} {} {}: {}: {}",
                tr(lang, "row", "行"),
                e.row,
                e.student_id,
                e.field,
                e.message
            );
        }
        if report.totals.errors > LISTED as u64 {
            let _ = writeln!(
                out,
                "  … {} {}",
                count(report.totals.errors - LISTED as u64),
                tr(lang, "more", "条未列出")
            );
        }
    }
    out
}

/// The what-if comparison as text.
pub fn what_if(w: &WhatIf, title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let name = |p: &super::PolicySummary| {
        if p.regions.is_empty() {
            p.id.clone()
        } else {
            format!("{} + {}", p.id, p.regions.join(" + "))
        }
    };
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{title}\nWhat-if as of {} (school year {}–{})\nBase: {} ({})\nAlternative: {} ({})\n\
             Students {} ({} rows in error)",
            w.as_of,
            w.school_year.0,
            w.school_year.0 + 1,
            name(&w.base),
            w.base.fingerprint.chars().take(12).collect::<String>(),
            name(&w.alternative),
            w.alternative.fingerprint.chars().take(12).collect::<String>(),
            count(w.students),
            count(w.errors)
        ),
        Lang::Zh => writeln!(
            out,
            "{title}\n政策测算　统计日期 {}（{}—{}学年）\n基准：{}（{}）\n方案：{}（{}）\n学生 {} 人（错误行 {}）",
            w.as_of,
            w.school_year.0,
            w.school_year.0 + 1,
            name(&w.base),
            w.base.fingerprint.chars().take(12).collect::<String>(),
            name(&w.alternative),
            w.alternative.fingerprint.chars().take(12).collect::<String>(),
            count(w.students),
            count(w.errors)
        ),
    };
    heading(
        &mut out,
        tr(lang, "By program (school year)", "分项目（本学年）"),
    );
    let cols = [
        Col(tr(lang, "Program", "项目"), false),
        Col(tr(lang, "Kind", "类别"), false),
        Col(tr(lang, "Base students", "基准人数"), true),
        Col(tr(lang, "Alt. students", "方案人数"), true),
        Col(tr(lang, "Change", "变化"), true),
        Col(tr(lang, "Base total", "基准金额"), true),
        Col(tr(lang, "Alt. total", "方案金额"), true),
        Col(tr(lang, "Change", "变化"), true),
    ];
    let unchanged = w
        .by_program
        .iter()
        .filter(|p| p.students_change == 0 && p.total_change == Money::ZERO)
        .count();
    let mut rows: Vec<Vec<String>> = w
        .by_program
        .iter()
        .filter(|p| p.students_change != 0 || p.total_change != Money::ZERO)
        .map(|p| {
            vec![
                match lang {
                    Lang::En => p.program.clone(),
                    Lang::Zh => p.name_zh.clone(),
                },
                kind_name(p.kind, lang).into(),
                count(p.base_students),
                count(p.alternative_students),
                signed(p.students_change),
                yuan(p.base_total),
                yuan(p.alternative_total),
                signed_yuan(p.total_change),
            ]
        })
        .collect();
    rows.push(vec![
        tr(lang, "cash and awards", "现金及奖学金合计").into(),
        String::new(),
        count(w.base_with_cash),
        count(w.alternative_with_cash),
        signed(w.alternative_with_cash as i64 - w.base_with_cash as i64),
        yuan(w.base_school_year_cash),
        yuan(w.alternative_school_year_cash),
        signed_yuan(w.cash_change),
    ]);
    table(&mut out, &cols, &rows);
    if unchanged > 0 {
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "  ({unchanged} other programs: no change in head count or amount)"
            ),
            Lang::Zh => writeln!(out, "  （其余 {unchanged} 个项目人数、金额均无变化）"),
        };
    }
    heading(
        &mut out,
        &match lang {
            Lang::En => format!(
                "Students whose entitlements change: {}",
                count(w.changed_students)
            ),
            Lang::Zh => format!("资助变化的学生：{} 人", count(w.changed_students)),
        },
    );
    for c in w.changed.iter().take(LISTED) {
        let mut parts = Vec::new();
        if !c.gained.is_empty() {
            parts.push(format!("+{}", c.gained.join(" +")));
        }
        if !c.lost.is_empty() {
            parts.push(format!("-{}", c.lost.join(" -")));
        }
        for a in &c.changed {
            let m = |v: Option<Money>| v.map(yuan).unwrap_or_else(|| "?".into());
            parts.push(format!("{} {}→{}", a.program, m(a.base), m(a.alternative)));
        }
        let _ = writeln!(
            out,
            "  {} {} {} {} {} {}: {} ({} {})",
            tr(lang, "row", "行"),
            c.row,
            c.student_id,
            stage_name(c.stage.as_str(), lang),
            c.grade,
            c.school_region,
            parts.join(", "),
            tr(lang, "cash", "现金"),
            signed_yuan(c.cash_change)
        );
    }
    if w.changed_students > LISTED as u64 {
        let _ = writeln!(
            out,
            "  … {} {}",
            count(w.changed_students - LISTED as u64),
            tr(lang, "more", "条未列出")
        );
    }
    out
}

/// The registry reconciliation as text (identity numbers and names are masked in the
/// reconciliation itself).
pub fn reconciliation(r: &crate::reconcile::Reconciliation, title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let s = &r.summary;
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{title}\nRegistry reconciliation as of {} (poverty registry against enrolment, by resident ID)\n\n\
             Registry members {} ({} valid IDs) · enrolment records {} ({} valid IDs)\n\
             Matched {} ({} studying outside the household's region)\n\
             Compulsory-school age (6–15) in the registry {}: in no school {}\n\
             Other registry members in no enrolment (under 6, over 15): {}\n\
             Unconfirmed status claims {} · invalid IDs {} · IDs listed twice {} · unreadable rows {}",
            r.as_of,
            count(s.registry_members),
            count(s.registry_valid_ids),
            count(s.enrolment_records),
            count(s.enrolment_valid_ids),
            count(s.matched),
            count(s.studying_elsewhere),
            count(s.school_age_members),
            count(s.school_age_not_enrolled),
            count(s.other_not_enrolled),
            count(s.unconfirmed_claims),
            count(s.invalid_ids),
            count(s.duplicate_ids),
            count(s.input_errors),
        ),
        Lang::Zh => writeln!(
            out,
            "{title}\n精准识别信息比对　比对日期 {}（扶贫系统与学籍按身份证号比对）\n\n\
             系统人员 {}（身份证号有效 {}）· 学籍 {}（身份证号有效 {}）\n\
             比对成功 {}（其中外地就读 {}）\n\
             义务教育适龄（6–15周岁）{} 人，学籍中未找到 {} 人\n\
             其他未在学籍中的人员（6周岁以下或15周岁以上）{} 人\n\
             身份不符 {} · 身份证号无效 {} · 重复 {} · 无法读取的行 {}",
            r.as_of,
            count(s.registry_members),
            count(s.registry_valid_ids),
            count(s.enrolment_records),
            count(s.enrolment_valid_ids),
            count(s.matched),
            count(s.studying_elsewhere),
            count(s.school_age_members),
            count(s.school_age_not_enrolled),
            count(s.other_not_enrolled),
            count(s.unconfirmed_claims),
            count(s.invalid_ids),
            count(s.duplicate_ids),
            count(s.input_errors),
        ),
    };
    let st = |v: &[crate::profile::HouseholdStatus]| key_statuses(v, lang);
    if !r.matched.is_empty() {
        heading(
            &mut out,
            tr(lang, "Matched students by stage", "比对成功学生（按学段）"),
        );
        let mut by_stage: Vec<(crate::profile::Stage, u64)> = Vec::new();
        for m in &r.matched {
            match by_stage.iter_mut().find(|(s, _)| *s == m.stage) {
                Some(e) => e.1 += 1,
                None => by_stage.push((m.stage, 1)),
            }
        }
        by_stage.sort_by_key(|(s, _)| *s);
        let rows: Vec<Vec<String>> = by_stage
            .iter()
            .map(|(s, n)| vec![stage_name(s.as_str(), lang), count(*n)])
            .collect();
        table(
            &mut out,
            &[
                Col(tr(lang, "Stage", "学段"), false),
                Col(tr(lang, "Students", "人数"), true),
            ],
            &rows,
        );
    }
    heading(
        &mut out,
        tr(
            lang,
            "Compulsory-school-age children in no school (feed for dropout control)",
            "学籍中未找到的义务教育适龄儿童（控辍保学线索）",
        ),
    );
    let rows: Vec<Vec<String>> = r
        .not_enrolled
        .iter()
        .take(LISTED)
        .map(|n| {
            vec![
                n.registry_row.to_string(),
                n.household_id.clone(),
                n.resident_id.clone(),
                n.name.clone(),
                n.age.to_string(),
                stage_name(n.expected_stage.as_str(), lang),
                st(&n.statuses),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str(tr(lang, "  none\n", "  无\n"));
    } else {
        table(
            &mut out,
            &[
                Col(tr(lang, "Row", "行"), true),
                Col(tr(lang, "Household", "户编号"), false),
                Col(tr(lang, "Resident ID", "身份证号"), false),
                Col(tr(lang, "Name", "姓名"), false),
                Col(tr(lang, "Age", "年龄"), true),
                Col(tr(lang, "Expected stage", "应在学段"), false),
                Col(tr(lang, "Status", "类别"), false),
            ],
            &rows,
        );
    }
    if r.not_enrolled.len() > LISTED {
        let _ = writeln!(
            out,
            "  … {} {}",
            count((r.not_enrolled.len() - LISTED) as u64),
            tr(lang, "more", "条未列出")
        );
    }
    heading(
        &mut out,
        tr(
            lang,
            "Status claims the registry does not confirm",
            "学籍标注与系统不符",
        ),
    );
    if r.unconfirmed.is_empty() {
        out.push_str(tr(lang, "  none\n", "  无\n"));
    }
    for u in r.unconfirmed.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "  {} {} {} {} {}: {}",
            tr(lang, "row", "行"),
            u.enrolment_row,
            u.student_id,
            u.resident_id,
            u.name,
            u.message
        );
    }
    if r.unconfirmed.len() > LISTED {
        let _ = writeln!(
            out,
            "  … {} {}",
            count((r.unconfirmed.len() - LISTED) as u64),
            tr(lang, "more", "条未列出")
        );
    }
    heading(&mut out, tr(lang, "Invalid resident IDs", "无效身份证号"));
    if r.invalid_ids.is_empty() {
        out.push_str(tr(lang, "  none\n", "  无\n"));
    }
    for i in r.invalid_ids.iter().take(LISTED) {
        let _ = writeln!(
            out,
            "  {} {} {}: {}",
            i.source.name(lang),
            tr(lang, "row", "行"),
            i.row,
            i.message
        );
    }
    if r.invalid_ids.len() > LISTED {
        let _ = writeln!(
            out,
            "  … {} {}",
            count((r.invalid_ids.len() - LISTED) as u64),
            tr(lang, "more", "条未列出")
        );
    }
    if !r.duplicates.is_empty() {
        heading(
            &mut out,
            tr(lang, "Resident IDs listed twice", "重复的身份证号"),
        );
        for d in r.duplicates.iter().take(LISTED) {
            let rows: Vec<String> = d.rows.iter().map(u64::to_string).collect();
            let _ = writeln!(
                out,
                "  {} {} {}: {}",
                d.source.name(lang),
                d.resident_id,
                tr(lang, "rows", "行"),
                rows.join(", ")
            );
        }
    }
    if !r.input_errors.is_empty() {
        heading(&mut out, tr(lang, "Unreadable rows", "无法读取的行"));
        for e in r.input_errors.iter().take(LISTED) {
            let _ = writeln!(
                out,
                "  {} {} {}: {}: {}",
                e.source.name(lang),
                tr(lang, "row", "行"),
                e.row,
                e.field,
                e.message
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(yuan(Money::from_fen(123_456_789)), "1,234,567.89");
        assert_eq!(yuan(Money::from_fen(-50_000)), "-500.00");
        assert_eq!(yuan(Money::ZERO), "0.00");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(999), "999");
        assert_eq!(display_width("小学ab"), 6);
        assert_eq!(signed(-1200), "-1,200");
    }
}
