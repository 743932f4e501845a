// @ts-check
// The student-aid checker page: a form for one student, the assessment computed in the
// browser by the eduaid WebAssembly package (./pkg, copied here by wasm/build.sh).
//
// This script decides nothing about aid. It asks `requiredInputs` which fields the programs
// of the chosen stage read (a program is "of another stage" when the library says so, with
// reason `stage_not_covered`), builds the profile from the visible fields, and shows the
// library's answer: amounts, payments by term and the reasons, in the language chosen.
// After the page has loaded nothing is fetched.

import init, {
  evaluate,
  Policy,
  programs as programCatalogue,
  requiredInputs,
  vocabulary,
  zhLabels,
} from "./pkg/eduaid.js";

/** @typedef {import("./pkg/eduaid.js").Assessment} Assessment */
/** @typedef {import("./pkg/eduaid.js").Entitlement} Entitlement */
/** @typedef {import("./pkg/eduaid.js").NotEligible} NotEligible */
/** @typedef {import("./pkg/eduaid.js").Profile} Profile */
/** @typedef {import("./pkg/eduaid.js").ProgramInfo} ProgramInfo */
/** @typedef {import("./pkg/eduaid.js").EduaidError} EduaidError */
/** @typedef {import("./pkg/eduaid.js").Lang} Lang */
/** @typedef {import("./pkg/eduaid.js").Vocabulary} Vocabulary */
/** @typedef {import("./pkg/eduaid.js").Stage} Stage */

// ---- Words of the page (presentation only) ---------------------------------------------------

const TEXT = {
  zh: {
    title: "学生资助政策查询",
    subtitle: "按国家学生资助政策（巩固拓展教育脱贫攻坚成果）计算一名学生可以享受哪些资助、每年多少、每学期发放多少，以及为什么。计算全部在本浏览器中完成，不上传任何信息。",
    switch_to: "English",
    loading: "正在加载…",
    group_student: "学生",
    group_household: "家庭",
    group_school: "学校与地区",
    group_awards: "奖学金",
    group_date: "查询日期",
    stage: "学段",
    grade: "年级",
    boarding: "住校（寄宿生）",
    full_time_formal: "全日制正式学籍",
    agriculture_related: "涉农专业",
    performing_arts: "艺术类相关表演专业",
    veteran: "退役士兵学生",
    has_fixed_salary: "有固定工资收入（研究生）",
    institution: "高校隶属",
    disability_grade: "学生本人残疾等级",
    hukou: "户籍",
    statuses: "家庭类别（可多选）",
    monitoring_risk_removed: "防止返贫监测对象已消除风险",
    difficulty_level: "家庭经济困难认定等级",
    school_location: "学校所在地类型",
    nutrition_pilot: "营养改善计划试点",
    school_region: "学校所在地区代码",
    hukou_region: "户籍所在地区代码",
    awards: "已获评的奖学金",
    as_of: "按此日期的政策计算",
    not_assessed: "未认定（按家庭类别推定）",
    none: "无",
    by_default: "默认",
    look_up: "按地区名单查询",
    region_placeholder: "六位行政区划代码，可不填",
    grade_n: "{n}年级",
    level_n: "{n}级",
    entitled: "可以享受的资助",
    not_eligible: "不符合条件的项目",
    other_stages: "其他学段的项目",
    notes: "说明",
    cash_total: "每年现金资助合计",
    level_used: "困难等级",
    level_none: "未认定",
    policy: "政策数据版本",
    per_year: "每年标准",
    school_year_total: "本学年合计",
    payments: "分学期发放",
    no_payments: "本学年无发放",
    because: "理由",
    why_not: "原因",
    basis: "依据",
    set_by_region: "由地方确定",
    waived: "免收",
    receipt: "计算所用的政策参数",
    parameter: "参数",
    value: "数值",
    effective_from: "生效日期",
    source: "来源",
    error: "无法计算",
    error_field: "有问题的项目",
    nothing: "没有可以享受的资助。",
    term_autumn: "{year}年秋季学期",
    term_spring: "{year}年春季学期",
    money: "{amount} 元",
    count: "{label}（{n}）",
    labelled: "{label}：{value}",
    footer: "依据国家学生资助政策数据（cn-national）计算，仅供参考；实际资助以学校和主管部门认定为准。",
    kind: { cash: "现金", waiver: "免除费用", in_kind: "实物", loan: "贷款额度", award: "奖学金" },
  },
  en: {
    title: "Student aid checker",
    subtitle: "Which national student-aid programmes (China's education poverty alleviation) a student can receive, how much a year, how much each term, and why. Everything is computed in this browser; nothing is uploaded.",
    switch_to: "中文",
    loading: "Loading…",
    group_student: "Student",
    group_household: "Household",
    group_school: "School and region",
    group_awards: "Scholarships",
    group_date: "Date",
    stage: "Stage",
    grade: "Grade",
    boarding: "Boards at school",
    full_time_formal: "Full-time formal enrolment",
    agriculture_related: "Agriculture-related major",
    performing_arts: "Performing-arts major",
    veteran: "Retired-soldier student",
    has_fixed_salary: "Has a fixed salary (graduate students)",
    institution: "Institution",
    disability_grade: "Student's own disability grade",
    hukou: "Household registration (hukou)",
    statuses: "Household status (any that apply)",
    monitoring_risk_removed: "Monitored household's risk removed",
    difficulty_level: "Assessed level of economic difficulty",
    school_location: "School location",
    nutrition_pilot: "Nutrition improvement pilot",
    school_region: "School region code",
    hukou_region: "Hukou region code",
    awards: "Scholarships granted",
    as_of: "Use the policy in force on",
    not_assessed: "Not assessed (derived from the status)",
    none: "None",
    by_default: "Default",
    look_up: "Look up by region",
    region_placeholder: "six-digit code, optional",
    grade_n: "Year {n}",
    level_n: "Grade {n}",
    entitled: "Aid the student can receive",
    not_eligible: "Programmes not granted",
    other_stages: "Programmes of other stages",
    notes: "Notes",
    cash_total: "Cash aid per year",
    level_used: "Difficulty level",
    level_none: "not assessed",
    policy: "Policy data version",
    per_year: "Per year",
    school_year_total: "This school year",
    payments: "Payments by term",
    no_payments: "No payment this school year",
    because: "Why",
    why_not: "Why not",
    basis: "Basis",
    set_by_region: "set by the region",
    waived: "waived",
    receipt: "Policy figures used",
    parameter: "Parameter",
    value: "Value",
    effective_from: "In force from",
    source: "Source",
    error: "Cannot compute",
    error_field: "Field",
    nothing: "No aid can be granted.",
    term_autumn: "Autumn term {year}",
    term_spring: "Spring term {year}",
    money: "¥{amount}",
    count: "{label} ({n})",
    labelled: "{label}: {value}",
    footer: "Computed from the national student-aid policy data (cn-national). For information only; schools and the competent departments decide.",
    kind: { cash: "cash", waiver: "fee waived", in_kind: "in kind", loan: "loan cap", award: "scholarship" },
  },
};

/** English names of the vocabulary (the Chinese ones come from the library's labels). */
const EN_LABELS = {
  preschool: "Preschool",
  primary: "Primary school",
  junior_middle: "Junior middle school",
  general_high: "General high school",
  secondary_vocational: "Secondary vocational",
  higher_vocational: "Higher vocational (short-cycle)",
  undergraduate: "Undergraduate",
  masters: "Master's",
  doctoral: "Doctoral",
  lifted_out_of_poverty: "Lifted out of poverty (脱贫家庭)",
  monitored_unstable: "Monitored: unstable (脱贫不稳定户)",
  monitored_marginal: "Monitored: marginal (边缘易致贫户)",
  monitored_sudden_hardship: "Monitored: sudden hardship (突发严重困难户)",
  dibao: "Minimum living allowance (低保)",
  tekun: "Extreme-poverty support (特困供养)",
  orphan: "Orphan",
  de_facto_unsupported: "De facto unsupported child",
  martyr_child: "Child of a martyr",
  disabled_parent: "Child of a disabled parent",
  especially: "Especially difficult",
  relatively: "Relatively difficult",
  general: "Generally difficult",
  city: "City district (城区)",
  town: "Town (镇区)",
  rural: "Rural (乡村)",
  national: "National pilot",
  local: "Local",
  central: "Central-ministry institution",
  national_scholarship: "National scholarship",
  national_encouragement_scholarship: "National encouragement scholarship",
  secondary_vocational_national_scholarship: "Secondary vocational national scholarship",
};

/** Chinese words where a value's label depends on the question asked. */
const ZH_IN_CONTEXT = {
  hukou: { rural: "农村户籍", urban: "城镇户籍" },
  nutrition_pilot: { national: "国家试点", local: "地方试点" },
  institution: { central: "中央部属高校", local: "地方高校" },
  school_location: { city: "城区", town: "镇区", rural: "乡村" },
};
const EN_IN_CONTEXT = {
  hukou: { rural: "Rural", urban: "Urban" },
  nutrition_pilot: { local: "Local pilot" },
  institution: { local: "Local institution" },
};

// ---- State ----------------------------------------------------------------------------------

/** @type {Lang} */
let lang = "zh";
/** @type {Vocabulary} */
let words;
/** @type {Record<string, string>} */
let zh = {};
/** @type {Map<string, ProgramInfo>} */
let catalogue = new Map();
/** @type {Policy} */
let policy;

/** @param {string} id @returns {HTMLElement} */
function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el;
}

/** @param {string} key @param {Record<string, string | number>} [params] */
function t(key, params = {}) {
  /** @type {Record<string, unknown>} */
  const table = TEXT[lang];
  const text = String(table[key] ?? key);
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** A vocabulary value in the page's language. @param {string} value @param {string} [context] */
function label(value, context) {
  if (lang === "zh") {
    // @ts-ignore - indexing the small context tables by string
    return ZH_IN_CONTEXT[context ?? ""]?.[value] ?? zh[value] ?? value;
  }
  // @ts-ignore - indexing the small context tables by string
  return EN_IN_CONTEXT[context ?? ""]?.[value] ?? EN_LABELS[value] ?? value;
}

/** @param {string} amount */
const money = (amount) => t("money", { amount });

/** `2024-autumn` → 2024年秋季学期 / Autumn term 2024. @param {string} term */
function termLabel(term) {
  const [year, season] = term.split("-");
  return t(season === "spring" ? "term_spring" : "term_autumn", { year: year ?? term });
}

/** Element builder. @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

/** Today in the local calendar, `YYYY-MM-DD`. */
function today() {
  const d = new Date();
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// ---- The form -------------------------------------------------------------------------------

/** @param {string} id */
const select = (id) => /** @type {HTMLSelectElement} */ ($(id));
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ ($(id));

/**
 * Fill a <select> with options, keeping its current value when it still exists.
 * @param {string} id @param {[string, string][]} options value and label
 */
function fillSelect(id, options) {
  const el = select(id);
  const previous = el.value;
  el.replaceChildren(...options.map(([value, text]) => h("option", { value }, [text])));
  if (options.some(([value]) => value === previous)) el.value = previous;
}

/** Fill a checkbox group. @param {string} id @param {string[]} values @param {string} name */
function fillChoices(id, values, name) {
  const box = $(id);
  const checked = new Set(
    [...box.querySelectorAll("input:checked")].map((i) => /** @type {HTMLInputElement} */ (i).value),
  );
  box.replaceChildren(
    ...values.map((value) => {
      const box = h("input", { type: "checkbox", name, value, id: `${name}_${value}` });
      /** @type {HTMLInputElement} */ (box).checked = checked.has(value);
      return h("label", { class: "choice", for: `${name}_${value}` }, [box, " ", label(value)]);
    }),
  );
}

/** Write every label and option in the current language. */
function renderForm() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n ?? "");
  }
  const button = $("lang");
  button.textContent = t("switch_to");
  button.setAttribute("lang", lang === "zh" ? "en" : "zh");
  fillSelect("stage", words.stage.map((s) => [s, label(s)]));
  fillGrades();
  fillSelect("hukou", words.hukou.map((v) => [v, label(v, "hukou")]));
  fillChoices("statuses", words.household_status, "status");
  fillSelect("difficulty_level", [["", t("not_assessed")], ...words.difficulty_level.map((v) => /** @type {[string, string]} */ ([v, label(v)]))]);
  fillSelect("disability_grade", [["", t("none")], ...[1, 2, 3, 4].map((n) => /** @type {[string, string]} */ ([String(n), t("level_n", { n })]))]);
  fillSelect("school_location", [["", t("by_default")], ...words.school_location.map((v) => /** @type {[string, string]} */ ([v, label(v, "school_location")]))]);
  fillSelect("nutrition_pilot", [["", t("look_up")], ...words.nutrition_pilot.map((v) => /** @type {[string, string]} */ ([v, label(v, "nutrition_pilot")]))]);
  fillSelect("institution", words.institution.map((v) => [v, label(v, "institution")]));
  select("institution").value ||= "local";
  fillChoices("awards", words.award, "award");
  for (const id of ["school_region", "hukou_region"]) input(id).placeholder = t("region_placeholder");
}

/** The grades of the chosen stage. */
function fillGrades() {
  const stage = /** @type {Stage} */ (select("stage").value);
  const max = words.max_grade[stage] ?? 1;
  fillSelect("grade", Array.from({ length: max }, (_, i) => [String(i + 1), t("grade_n", { n: i + 1 })]));
}

/**
 * The fields that matter for the chosen stage: the inputs of every program that is not of
 * another stage. Which programs those are is the library's answer for a bare profile of
 * the stage (reason `stage_not_covered`), not a table kept here.
 * @returns {Set<string>}
 */
function fieldsThatMatter() {
  const stage = select("stage").value;
  const asOf = input("as_of").value || today();
  const fields = new Set(["stage", "grade", "as_of"]);
  /** @type {Assessment} */
  let probe;
  try {
    probe = evaluate({ stage: /** @type {Stage} */ (stage), grade: 1, hukou: "rural", household: { statuses: [] } }, asOf, policy);
  } catch {
    return new Set([...fields, ...[...catalogue.values()].flatMap((p) => p.inputs)]);
  }
  for (const id of relevantPrograms(probe)) {
    for (const field of requiredInputs(id, policy)) fields.add(field);
  }
  return fields;
}

/** Programs that are not excluded by stage. @param {Assessment} a */
function relevantPrograms(a) {
  return [
    ...a.entitlements.map((e) => e.program),
    ...a.not_eligible.filter((n) => !otherStage(n)).map((n) => n.program),
  ];
}

/** @param {NotEligible} n */
const otherStage = (n) => n.because.some((r) => r.code === "stage_not_covered");

/** Show the rows (and fieldsets) of the fields that matter, hide the rest. */
function showFieldsThatMatter() {
  const fields = fieldsThatMatter();
  for (const row of document.querySelectorAll("[data-input]")) {
    /** @type {HTMLElement} */ (row).hidden = !fields.has(/** @type {HTMLElement} */ (row).dataset.input ?? "");
  }
  for (const set of document.querySelectorAll("fieldset")) {
    set.hidden = ![...set.querySelectorAll("[data-input]")].some((r) => !(/** @type {HTMLElement} */ (r).hidden));
  }
}

/** Whether the row of `field` is shown. @param {string} field */
function shown(field) {
  const row = document.querySelector(`[data-input="${field}"]`);
  return row instanceof HTMLElement && !row.hidden;
}

/** The checked values of a checkbox group. @param {string} id @returns {string[]} */
function checkedValues(id) {
  return [...$(id).querySelectorAll("input:checked")].map((i) => /** @type {HTMLInputElement} */ (i).value);
}

/** The value of a select when its row is shown and a choice is made. @param {string} id */
function chosen(id) {
  return shown(id) && select(id).value ? select(id).value : undefined;
}

/**
 * The profile from the visible fields; hidden fields are left out, so they keep the
 * library's defaults. The select values come from `vocabulary()`, hence the casts.
 * @returns {Profile}
 */
function profileFromForm() {
  /** @type {Profile} */
  const p = {
    stage: /** @type {Profile["stage"]} */ (select("stage").value),
    grade: Number(select("grade").value),
    hukou: /** @type {Profile["hukou"]} */ (select("hukou").value),
    household: {
      statuses: shown("household.statuses") ? /** @type {Profile["household"]["statuses"]} */ (checkedValues("statuses")) : [],
    },
  };
  if (shown("household.monitoring_risk_removed")) p.household.monitoring_risk_removed = input("monitoring_risk_removed").checked;
  if (shown("boarding")) p.boarding = input("boarding").checked;
  if (shown("full_time_formal")) p.full_time_formal = input("full_time_formal").checked;
  if (shown("veteran")) p.veteran = input("veteran").checked;
  if (shown("has_fixed_salary")) p.has_fixed_salary = input("has_fixed_salary").checked;
  if (shown("major.agriculture_related") || shown("major.performing_arts")) {
    p.major = {};
    if (shown("major.agriculture_related")) p.major.agriculture_related = input("major_agriculture_related").checked;
    if (shown("major.performing_arts")) p.major.performing_arts = input("major_performing_arts").checked;
  }
  const level = chosen("difficulty_level");
  if (level) p.difficulty_level = /** @type {Profile["difficulty_level"]} */ (level);
  const location = chosen("school_location");
  if (location) p.school_location = /** @type {Profile["school_location"]} */ (location);
  const pilot = chosen("nutrition_pilot");
  if (pilot) p.nutrition_pilot = /** @type {Profile["nutrition_pilot"]} */ (pilot);
  const institution = chosen("institution");
  if (institution) p.institution = /** @type {Profile["institution"]} */ (institution);
  const disability = chosen("disability_grade");
  if (disability) p.disability_grade = /** @type {Profile["disability_grade"]} */ (Number(disability));
  for (const field of /** @type {const} */ (["school_region", "hukou_region"])) {
    const value = input(field).value.trim();
    if (shown(field) && value) p[field] = value;
  }
  if (shown("awards")) p.awards = /** @type {Profile["awards"]} */ (checkedValues("awards"));
  return p;
}

// ---- The answer -----------------------------------------------------------------------------

/** @param {Entitlement} e */
function programName(e) {
  return lang === "zh" ? e.name_zh : catalogue.get(e.program)?.name_en ?? e.name_zh;
}

/** @param {string} id */
function nameOf(id) {
  const info = catalogue.get(id);
  return info ? (lang === "zh" ? info.name_zh : info.name_en) : id;
}

/** @param {import("./pkg/eduaid.js").Reason[]} reasons */
function reasonList(reasons) {
  return h("ul", { class: "because" }, reasons.map((r) => h("li", { "data-code": r.code }, [r.message])));
}

/** @param {Entitlement} e */
function entitlementCard(e) {
  // A waiver whose value the national policy does not set carries "0.00" (interface.md):
  // shown as "waived", not as a zero.
  const unpriced = e.kind === "waiver" && e.annual_amount === "0.00";
  const amount = (/** @type {string | null} */ m) => (m === null ? t("set_by_region") : unpriced && m === "0.00" ? t("waived") : money(m));
  const payments = e.payments.length
    ? h("table", { class: "payments" }, [
        h("caption", {}, [t("payments")]),
        h("tbody", {}, e.payments.map((p) => h("tr", { "data-term": p.term }, [h("th", { scope: "row" }, [termLabel(p.term)]), h("td", { class: "amount" }, [amount(p.amount)])]))),
      ])
    : h("p", { class: "muted" }, [t("no_payments")]);
  return h("article", { class: `program kind-${e.kind}`, "data-program": e.program }, [
    h("header", {}, [h("h3", {}, [programName(e)]), h("span", { class: "kind" }, [TEXT[lang].kind[e.kind] ?? e.kind])]),
    h("dl", { class: "figures" }, [
      h("div", {}, [h("dt", {}, [t("per_year")]), h("dd", { "data-field": "annual_amount" }, [amount(e.annual_amount)])]),
      h("div", {}, [h("dt", {}, [t("school_year_total")]), h("dd", { "data-field": "school_year_total" }, [amount(e.school_year_total)])]),
    ]),
    payments,
    h("h4", {}, [t("because")]),
    reasonList(e.because),
    h("p", { class: "basis" }, [t("labelled", { label: t("basis"), value: e.basis })]),
  ]);
}

/** @param {Assessment} a */
function renderAssessment(a) {
  const result = $("result");
  const notEligible = a.not_eligible.filter((n) => !otherStage(n));
  const others = a.not_eligible.filter(otherStage);
  const level = a.difficulty_level ? label(a.difficulty_level) : t("level_none");
  const parts = [
    h("div", { class: "summary" }, [
      h("div", { class: "total" }, [h("span", {}, [t("cash_total")]), h("strong", { "data-field": "annual_cash_total" }, [money(a.annual_cash_total)])]),
      h("div", {}, [h("span", {}, [t("level_used")]), h("strong", { "data-field": "difficulty_level" }, [level])]),
      h("div", {}, [h("span", {}, [t("policy")]), h("strong", { title: a.policy.fingerprint }, [`${a.policy.id} ${a.policy.version}`])]),
    ]),
    h("h2", {}, [t("count", { label: t("entitled"), n: a.entitlements.length })]),
    a.entitlements.length ? h("div", { class: "cards" }, a.entitlements.map(entitlementCard)) : h("p", { class: "muted" }, [t("nothing")]),
  ];
  if (a.notes?.length) parts.push(h("h2", {}, [t("notes")]), reasonList(a.notes));
  if (notEligible.length) {
    parts.push(
      h("h2", {}, [t("count", { label: t("not_eligible"), n: notEligible.length })]),
      h("ul", { class: "not-eligible" }, notEligible.map((n) => h("li", { "data-program": n.program }, [h("strong", {}, [nameOf(n.program)]), reasonList(n.because)]))),
    );
  }
  if (others.length) {
    parts.push(h("details", { class: "others" }, [h("summary", {}, [t("count", { label: t("other_stages"), n: others.length })]), h("ul", {}, others.map((n) => h("li", { "data-program": n.program }, [nameOf(n.program)])))]));
  }
  parts.push(
    h("details", { class: "receipt" }, [
      h("summary", {}, [t("receipt")]),
      h("table", {}, [
        h("thead", {}, [h("tr", {}, ["parameter", "value", "effective_from", "source"].map((k) => h("th", {}, [t(k)])))]),
        h("tbody", {}, a.parameters_used.map((p) => h("tr", {}, [h("td", {}, [p.name]), h("td", {}, [Array.isArray(p.value) ? p.value.join(", ") : String(p.value)]), h("td", {}, [p.effective_from]), h("td", {}, [p.source])]))),
      ]),
    ]),
  );
  result.replaceChildren(...parts);
}

/** @param {unknown} e */
function renderError(e) {
  const err = /** @type {Partial<EduaidError>} */ (e instanceof Error ? e : new Error(String(e)));
  const field = err.field ?? "";
  $("result").replaceChildren(
    h("div", { class: "error", role: "alert", "data-kind": err.kind ?? "", "data-field": field }, [
      h("strong", {}, [t("error")]),
      h("p", {}, [err.message ?? ""]),
      ...(field ? [h("p", { class: "muted" }, [t("labelled", { label: t("error_field"), value: field })])] : []),
    ]),
  );
}

/** Evaluate the form and show the answer. */
function update() {
  document.body.dataset.busy = "true";
  try {
    renderAssessment(evaluate(profileFromForm(), input("as_of").value, policy, lang));
  } catch (e) {
    renderError(e);
  }
  delete document.body.dataset.busy;
}

// ---- Start ----------------------------------------------------------------------------------

async function main() {
  await init();
  policy = Policy.national();
  words = vocabulary();
  zh = zhLabels();
  catalogue = new Map(programCatalogue().map((p) => [p.id, p]));
  input("as_of").value = today();
  renderForm();
  select("stage").value = "junior_middle";
  fillGrades();
  showFieldsThatMatter();

  const form = $("profile");
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.id === "stage") fillGrades();
    if (target.id === "stage" || target.id === "as_of") showFieldsThatMatter();
    update();
  });
  form.addEventListener("input", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target instanceof HTMLInputElement && target.type === "text") update();
  });
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    renderForm();
    update();
    document.body.dataset.lang = lang;
  });
  update();
  document.body.dataset.lang = lang;
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  renderError(e);
  document.body.dataset.failed = "true";
});
