//! The roster report as one self-contained HTML page (汇总页面): headline figures, bar
//! charts (totals by program, person-times by stage, coverage gaps) as inline SVG, and the
//! tables behind them. No script, no external resource: the file can be mailed, archived
//! or printed as it is.
//!
//! Pure string building. Chart geometry uses `f64` for pixel widths only (presentation);
//! every figure printed comes from the exact [`Money`] and counts of the report.

use super::text::{count, gap_reason_name, kind_name, stage_name, term_name, yuan};
use super::{GroupTotal, RosterReport};
use crate::money::Money;
use crate::programs::Kind;
use crate::reasons::Lang;
use std::fmt::Write;

/// How many gaps and flags the page lists (the JSON form has all).
const LISTED: usize = 25;

/// Escape text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn tr<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The colour of a kind in the charts.
fn kind_colour(kind: Kind) -> &'static str {
    match kind {
        Kind::Cash => "#c0392b",
        Kind::Award => "#d68910",
        Kind::InKind => "#1e8449",
        Kind::Waiver => "#2471a3",
        Kind::Loan => "#7d3c98",
    }
}

/// The value of money for chart geometry (presentation only).
fn pixels(m: Money) -> f64 {
    m.to_fen() as f64 / 100.0
}

/// One bar segment: value (for geometry), colour, tooltip text.
struct Segment {
    value: f64,
    colour: &'static str,
    title: String,
}

/// One bar: its label, its segments (stacked left to right) and the text after it.
struct Bar {
    label: String,
    segments: Vec<Segment>,
    note: String,
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(bars: &[Bar]) -> String {
    const LABEL: f64 = 250.0;
    const PLOT: f64 = 430.0;
    const NOTE: f64 = 200.0;
    const ROW: f64 = 26.0;
    let max = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.value).sum::<f64>())
        .fold(0.0_f64, f64::max);
    let height = ROW * bars.len() as f64 + 8.0;
    let width = LABEL + PLOT + NOTE;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\">"
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"l\">{}</text>",
            LABEL - 8.0,
            y + 16.0,
            escape(&bar.label)
        );
        let mut x = LABEL;
        for s in &bar.segments {
            let w = if max > 0.0 { s.value / max * PLOT } else { 0.0 };
            if w > 0.0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"18\" fill=\"{}\">\
                     <title>{}</title></rect>",
                    y + 3.0,
                    w.max(1.0),
                    s.colour,
                    escape(&s.title)
                );
            }
            x += w;
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" class=\"v\">{}</text>",
            x + 6.0,
            y + 16.0,
            escape(&bar.note)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn legend(items: &[(&str, &str)]) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (colour, label) in items {
        let _ = write!(
            out,
            "<span><i style=\"background:{colour}\"></i>{}</span>",
            escape(label)
        );
    }
    out.push_str("</p>");
    out
}

fn card(out: &mut String, value: &str, label: &str) {
    let _ = write!(
        out,
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        escape(value),
        escape(label)
    );
}

fn table_html(out: &mut String, headers: &[&str], rows: &[Vec<String>], numeric_from: usize) {
    out.push_str("<table><thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"n\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

const STYLE: &str = "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',\
'PingFang SC',sans-serif;margin:24px auto;max-width:1000px;color:#222;background:#fff}\
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #c0392b;\
padding-bottom:4px}.sub{color:#555;font-size:13px;margin:2px 0}.cards{display:flex;flex-wrap:wrap;\
gap:10px;margin:16px 0}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}\
.card b{display:block;font-size:22px;color:#c0392b}.card span{font-size:13px;color:#555}\
svg text{font-size:13px;font-family:inherit}svg .l{fill:#222}svg .v{fill:#444}\
table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}th,td{border-bottom:1px solid #e5e5e5;\
padding:4px 6px;text-align:left}th{background:#f6f6f6}.n{text-align:right;font-variant-numeric:tabular-nums}\
.legend span{margin-right:14px;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;\
margin-right:4px;vertical-align:middle}.note{font-size:12px;color:#666}\
@media print{h2{page-break-after:avoid}}";

/// The roster report as an HTML page under `title` (e.g. `鸡泽县 Jize County`).
pub fn roster_page(report: &RosterReport, title: &str, lang: Lang) -> String {
    let t = &report.totals.students;
    let c = &report.coverage;
    let [autumn, spring] = report.school_year.terms();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>{}</h1><p class=\"sub\">{}</p><p class=\"sub\">{}</p>",
        escape(title),
        escape(&match lang {
            Lang::En => format!(
                "Student aid report as of {} — school year {}–{} ({autumn}, {spring})",
                report.as_of,
                report.school_year.0,
                report.school_year.0 + 1
            ),
            Lang::Zh => format!(
                "学生资助统计　统计日期 {}　{}—{}学年（{}、{}）",
                report.as_of,
                report.school_year.0,
                report.school_year.0 + 1,
                term_name(autumn, lang),
                term_name(spring, lang)
            ),
        }),
        escape(&format!(
            "{} {} {} {} · {} {} · {} {}",
            tr(lang, "Policy", "政策"),
            report.policy.id,
            tr(lang, "version", "版本"),
            report.policy.version,
            tr(lang, "overlays", "地方政策"),
            if report.policy.regions.is_empty() {
                tr(lang, "none", "无").to_string()
            } else {
                report.policy.regions.join(", ")
            },
            tr(lang, "fingerprint", "指纹"),
            report
                .policy
                .fingerprint
                .chars()
                .take(12)
                .collect::<String>()
        ))
    );
    body.push_str("<div class=\"cards\">");
    card(
        &mut body,
        &count(t.students),
        tr(lang, "students", "在校学生"),
    );
    card(
        &mut body,
        &count(t.key_group),
        tr(lang, "in a key group", "重点保障对象"),
    );
    card(
        &mut body,
        &count(t.with_cash),
        tr(lang, "receiving cash", "享受现金资助"),
    );
    card(
        &mut body,
        &format!("{} {}", yuan(t.school_year_cash), tr(lang, "yuan", "元")),
        tr(
            lang,
            "cash and awards this school year",
            "本学年现金资助及奖学金",
        ),
    );
    card(
        &mut body,
        &count(t.cash_person_times),
        tr(lang, "cash person-times", "现金资助人次"),
    );
    card(
        &mut body,
        &count(c.gaps.len() as u64),
        tr(
            lang,
            "key-group students without cash",
            "重点保障对象未享受现金",
        ),
    );
    card(
        &mut body,
        &count(c.studying_elsewhere_students),
        tr(lang, "studying outside their hukou region", "外地就读"),
    );
    body.push_str("</div>");

    // Chart 1: totals by program (money paid or waived; loan caps apart).
    let _ = write!(
        body,
        "<h2>{}</h2>",
        tr(
            lang,
            "This school year's totals by program (yuan)",
            "各项目本学年资助金额（元）"
        )
    );
    let bars: Vec<Bar> = report
        .by_program
        .iter()
        .filter(|p| p.kind != Kind::Loan && p.school_year_total > Money::ZERO)
        .map(|p| Bar {
            label: match lang {
                Lang::En => p.program.clone(),
                Lang::Zh => p.name_zh.clone(),
            },
            segments: vec![Segment {
                value: pixels(p.school_year_total),
                colour: kind_colour(p.kind),
                title: format!("{} {}", p.program, yuan(p.school_year_total)),
            }],
            note: format!(
                "{} · {} {}",
                yuan(p.school_year_total),
                count(p.students),
                tr(lang, "students", "人")
            ),
        })
        .collect();
    body.push_str(&bar_chart(&bars));
    body.push_str(&legend(&[
        (kind_colour(Kind::Cash), kind_name(Kind::Cash, lang)),
        (kind_colour(Kind::Award), kind_name(Kind::Award, lang)),
        (kind_colour(Kind::InKind), kind_name(Kind::InKind, lang)),
        (kind_colour(Kind::Waiver), kind_name(Kind::Waiver, lang)),
    ]));
    let loans: Vec<String> = report
        .by_program
        .iter()
        .filter(|p| p.kind == Kind::Loan)
        .map(|p| {
            format!(
                "{}: {} {}, {} {}",
                match lang {
                    Lang::En => p.program.clone(),
                    Lang::Zh => p.name_zh.clone(),
                },
                count(p.students),
                tr(lang, "students may borrow up to", "人可申请，额度合计"),
                yuan(p.annual_amount),
                tr(lang, "yuan", "元")
            )
        })
        .collect();
    let _ = write!(
        body,
        "<p class=\"note\">{}{}</p>",
        escape(tr(
            lang,
            "Waivers count the fees waived where a local fee is loaded. ",
            "免除类按已载入的地方收费标准计算。"
        )),
        escape(&loans.join("; "))
    );

    // Chart 2: person-times by stage.
    let _ = write!(
        body,
        "<h2>{}</h2>",
        tr(lang, "Person-times by stage (人次)", "分学段资助人次")
    );
    let bars: Vec<Bar> = report
        .by_stage
        .iter()
        .map(|g| Bar {
            label: stage_name(&g.group, lang),
            segments: vec![Segment {
                value: g.cash_person_times as f64,
                colour: kind_colour(Kind::Cash),
                title: format!(
                    "{} {}",
                    count(g.cash_person_times),
                    tr(lang, "cash", "现金")
                ),
            }],
            note: match lang {
                Lang::En => format!(
                    "{} · {} with waivers and in-kind",
                    count(g.cash_person_times),
                    count(g.person_times)
                ),
                Lang::Zh => format!(
                    "{} · 含免除及实物共 {}",
                    count(g.cash_person_times),
                    count(g.person_times)
                ),
            },
        })
        .collect();
    body.push_str(&bar_chart(&bars));
    let _ = write!(
        body,
        "<p class=\"note\">{}</p>",
        escape(tr(
            lang,
            "Bars: person-times of cash and awards (one per student, program and term paid). \
             The second figure adds fee waivers, free textbooks and meals.",
            "柱长为现金资助及奖学金人次（每名学生、每个项目、每个发放学期计一次）；后一数字另含免学杂费、免费教科书、营养膳食等。"
        ))
    );

    // Chart 3: coverage of key-group students by stage.
    let _ = write!(
        body,
        "<h2>{}</h2>",
        tr(
            lang,
            "Coverage of key-group students (应助尽助)",
            "重点保障对象应助尽助情况"
        )
    );
    let gaps_of = |stage: &str| {
        c.gaps_by_stage
            .iter()
            .find(|g| g.code == stage)
            .map_or(0, |g| g.students)
    };
    let bars: Vec<Bar> = report
        .by_stage
        .iter()
        .filter(|g| g.key_group > 0)
        .map(|g| {
            let gaps = gaps_of(&g.group);
            Bar {
                label: stage_name(&g.group, lang),
                segments: vec![
                    Segment {
                        value: g.key_group.saturating_sub(gaps) as f64,
                        colour: "#1e8449",
                        title: tr(lang, "receive cash", "享受现金资助").into(),
                    },
                    Segment {
                        value: gaps as f64,
                        colour: "#e67e22",
                        title: tr(lang, "no cash", "未享受现金资助").into(),
                    },
                ],
                note: match lang {
                    Lang::En => format!("{} of {} without cash", count(gaps), count(g.key_group)),
                    Lang::Zh => format!("{} 人未享受 / 共 {} 人", count(gaps), count(g.key_group)),
                },
            }
        })
        .collect();
    body.push_str(&bar_chart(&bars));
    body.push_str(&legend(&[
        ("#1e8449", tr(lang, "receive cash", "享受现金资助")),
        ("#e67e22", tr(lang, "no cash (gap)", "未享受现金资助")),
    ]));
    if !c.gaps_by_reason.is_empty() {
        let bars: Vec<Bar> = c
            .gaps_by_reason
            .iter()
            .map(|r| Bar {
                label: gap_reason_name(&r.code, lang),
                segments: vec![Segment {
                    value: r.students as f64,
                    colour: "#e67e22",
                    title: r.code.clone(),
                }],
                note: count(r.students),
            })
            .collect();
        let _ = write!(
            body,
            "<p class=\"sub\">{}</p>",
            escape(tr(lang, "Gaps by first reason", "未享受原因（首要原因）"))
        );
        body.push_str(&bar_chart(&bars));
    }

    // Tables.
    let _ = write!(body, "<h2>{}</h2>", tr(lang, "By program", "分项目明细"));
    let autumn_h = term_name(autumn, lang);
    let spring_h = term_name(spring, lang);
    let rows: Vec<Vec<String>> = report
        .by_program
        .iter()
        .map(|p| {
            let term = |term| {
                p.terms
                    .iter()
                    .find(|x| x.term == term)
                    .map_or_else(|| "-".into(), |x| yuan(x.amount))
            };
            vec![
                p.name_zh.clone(),
                p.program.clone(),
                kind_name(p.kind, lang).into(),
                count(p.students),
                count(p.person_times),
                term(autumn),
                term(spring),
                yuan(p.school_year_total),
            ]
        })
        .collect();
    table_html(
        &mut body,
        &[
            tr(lang, "Name", "项目名称"),
            tr(lang, "Program", "项目代码"),
            tr(lang, "Kind", "类别"),
            tr(lang, "Students", "人数"),
            tr(lang, "Person-times", "人次"),
            &autumn_h,
            &spring_h,
            tr(lang, "School year", "本学年合计"),
        ],
        &rows,
        3,
    );
    let _ = write!(body, "<h2>{}</h2>", tr(lang, "By stage", "分学段明细"));
    let group_row = |name: String, g: &GroupTotal| {
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
    let mut rows: Vec<Vec<String>> = report
        .by_stage
        .iter()
        .map(|g| group_row(stage_name(&g.group, lang), g))
        .collect();
    rows.push(group_row(tr(lang, "Total", "合计").into(), t));
    let group_headers = [
        tr(lang, "Stage", "学段"),
        tr(lang, "Students", "学生"),
        tr(lang, "Key group", "重点保障对象"),
        tr(lang, "Economically difficult", "家庭经济困难"),
        tr(lang, "With cash", "享受现金资助"),
        tr(lang, "Cash person-times", "现金资助人次"),
        tr(lang, "Cash this school year", "本学年现金资助"),
    ];
    table_html(&mut body, &group_headers, &rows, 1);
    if report.by_region.len() > 1 {
        let _ = write!(
            body,
            "<h2>{}</h2>",
            tr(lang, "By school region", "分就读地区")
        );
        let rows: Vec<Vec<String>> = report
            .by_region
            .iter()
            .map(|g| group_row(g.group.clone(), g))
            .collect();
        let mut headers = group_headers;
        headers[0] = tr(lang, "Region", "地区代码");
        table_html(&mut body, &headers, &rows, 1);
    }
    let _ = write!(
        body,
        "<h2>{}</h2>",
        tr(
            lang,
            "Key-group students without cash",
            "未享受现金资助的重点保障对象"
        )
    );
    let rows: Vec<Vec<String>> = c
        .gaps
        .iter()
        .take(LISTED)
        .map(|g| {
            vec![
                g.row.to_string(),
                g.student_id.clone(),
                format!("{} {}", stage_name(g.stage.as_str(), lang), g.grade),
                super::text::key_statuses(&g.key_statuses, lang),
                g.reasons
                    .iter()
                    .take(2)
                    .map(|r| {
                        if r.program.is_empty() {
                            r.message.clone()
                        } else {
                            format!(
                                "{}: {}",
                                super::text::program_name(&r.program, lang),
                                r.message
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    table_html(
        &mut body,
        &[
            tr(lang, "Row", "行"),
            tr(lang, "Student", "学生"),
            tr(lang, "Stage", "学段"),
            tr(lang, "Key group", "保障类别"),
            tr(lang, "Why no cash", "原因"),
        ],
        &rows,
        usize::MAX,
    );
    if c.gaps.len() > LISTED {
        let _ = write!(
            body,
            "<p class=\"note\">{} {}</p>",
            count((c.gaps.len() - LISTED) as u64),
            escape(tr(
                lang,
                "more in the JSON output",
                "条未列出，见 JSON 输出"
            ))
        );
    }
    let _ = write!(
        body,
        "<h2>{}</h2>",
        tr(
            lang,
            "Studying outside the hukou region: check with the place of study (seed 004)",
            "外地就读学生：请向就读地核实受助情况"
        )
    );
    let rows: Vec<Vec<String>> = c
        .studying_elsewhere
        .iter()
        .take(LISTED)
        .map(|f| {
            vec![
                f.row.to_string(),
                f.student_id.clone(),
                format!("{} {}", stage_name(f.stage.as_str(), lang), f.grade),
                f.hukou_region.clone(),
                f.school_region.clone(),
                f.cash_programs
                    .iter()
                    .map(|p| super::text::program_name(p, lang))
                    .collect::<Vec<_>>()
                    .join(", "),
                yuan(f.expected_school_year_cash),
            ]
        })
        .collect();
    table_html(
        &mut body,
        &[
            tr(lang, "Row", "行"),
            tr(lang, "Student", "学生"),
            tr(lang, "Stage", "学段"),
            tr(lang, "Hukou region", "户籍地"),
            tr(lang, "School region", "就读地"),
            tr(lang, "Cash programs", "应享受项目"),
            tr(lang, "Expected this school year", "本学年应享受（元）"),
        ],
        &rows,
        6,
    );
    if c.studying_elsewhere.len() > LISTED {
        let _ = write!(
            body,
            "<p class=\"note\">{} {}</p>",
            count((c.studying_elsewhere.len() - LISTED) as u64),
            escape(tr(
                lang,
                "more in the JSON output",
                "条未列出，见 JSON 输出"
            ))
        );
    }
    if report.totals.errors > 0 {
        let _ = write!(body, "<h2>{}</h2>", tr(lang, "Rows in error", "错误行"));
        let rows: Vec<Vec<String>> = report
            .row_errors
            .iter()
            .take(LISTED)
            .map(|e| {
                vec![
                    e.row.to_string(),
                    e.student_id.clone(),
                    e.field.clone(),
                    e.message.clone(),
                ]
            })
            .collect();
        table_html(
            &mut body,
            &[
                tr(lang, "Row", "行"),
                tr(lang, "Student", "学生"),
                tr(lang, "Column", "列"),
                tr(lang, "Problem", "问题"),
            ],
            &rows,
            usize::MAX,
        );
    }
    let _ = write!(
        body,
        "<p class=\"note\">{}</p>",
        escape(tr(
            lang,
            "Computed by eduaid from the policy named above; amounts are exact to the fen. \
             Person-times (人次) count one per student, program and term paid.",
            "由 eduaid 按上列政策计算，金额精确到分。人次按每名学生、每个项目、每个发放学期计一次。"
        ))
    );
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>\n",
        tr(lang, "en", "zh-CN"),
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
