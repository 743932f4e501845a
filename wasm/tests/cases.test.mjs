// The JavaScript API of dropout cases (Case, detectAbsence, compareRegistry, reportsDue,
// consolidation) and of the finance functions (loanSchedule, grassrootsCompensation,
// publicFunds, teacherAllowances, careSchedule): plain-object results in the shape of the
// Rust JSON, a case as an immutable value, errors as EduaidError objects naming the
// argument and the field inside it. The figures themselves are the corpora's business
// (conformance_dropout.test.mjs, conformance_finance.test.mjs).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadNode, loadWeb } from "./support.mjs";

const api = loadNode();

const student = () => ({ student_id: "S-A", region: "130431", birth_date: "2010-05-20" });
const absence = () => ({ kind: "absence", first_absent: "2024-09-02", school_days: 8 });
const attempt = (date = "2024-09-12") => ({ type: "persuasion_attempt", date, actor: "班主任", outcome: "refused" });
const open = () => api.Case.open(student(), absence(), "2024-09-11");

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

function assertError(e, { kind, field, code }) {
  assert.ok(e instanceof Error, `not an Error: ${String(e)}`);
  assert.equal(e.name, "EduaidError");
  assert.equal(e.kind, kind, e.message);
  if (field !== undefined) assert.equal(e.field, field, e.message);
  if (code !== undefined) assert.equal(e.code, code, e.message);
  assert.ok(e.message.length > 0);
}

describe("Case", () => {
  test("open, apply, due: a case is a value, apply returns a new one", () => {
    const c = open();
    assert.ok(c instanceof api.Case);
    const next = c.apply(attempt());
    assert.ok(next instanceof api.Case);
    assert.equal(c.toJSON().events.length, 1, "apply leaves the case alone");
    const data = next.toJSON();
    assert.equal(Object.getPrototypeOf(data), Object.prototype, "a plain object");
    assert.equal(data.events.length, 2);
    assert.equal(data.status, "persuasion");
    assert.equal(data.classification, "suspected_dropout");
    assert.equal(data.stage, "class_teacher");
    assert.equal(data.stage_attempts, 1);
    assert.deepEqual(data.events[1], attempt());
    const [action, ...rest] = next.due("2024-09-19");
    assert.deepEqual(rest, []);
    assert.equal(action.kind, "escalate");
    assert.equal(action.stage, "school_leaders");
    assert.equal(action.due, "2024-09-19");
    assert.equal(action.overdue, false);
    assert.equal(typeof action.responsible, "string");
  });

  test("JSON.stringify(case) is the Rust JSON, and Case.restore reads it back", () => {
    const c = open().apply(attempt());
    const text = JSON.stringify(c);
    assert.deepEqual(JSON.parse(text), c.toJSON());
    assert.equal(JSON.stringify(api.Case.restore(text)), text);
    assert.equal(JSON.stringify(api.Case.restore(c.toJSON())), text, "an object works too");
  });

  test("replay gives the same case as applying the events one by one", () => {
    const c = open().apply(attempt()).apply({ type: "escalated", date: "2024-09-19", to: "school_leaders" });
    const data = c.toJSON();
    assert.equal(JSON.stringify(api.Case.replay(data.student, data.events)), JSON.stringify(c));
    assert.equal(JSON.stringify(api.Case.replay(JSON.stringify(data.student), data.events.map((e) => JSON.stringify(e)))), JSON.stringify(c));
  });

  test("advance applies what the passing of time calls for", () => {
    const c = open().apply(attempt());
    const advanced = c.advance("2024-09-30");
    assert.equal(advanced.toJSON().stage, "school_leaders");
    assert.equal(advanced.toJSON().events.at(-1).type, "escalated");
    assert.equal(c.toJSON().stage, "class_teacher");
  });

  test("a closed case owes nothing", () => {
    const c = open().apply({ type: "returned", date: "2024-09-13" });
    assert.equal(c.toJSON().status, "returned");
    assert.deepEqual(c.due("2024-10-01"), []);
  });

  test("a policy passed to a case is not used up", () => {
    const policy = api.Policy.national();
    const c = api.Case.open(student(), absence(), "2024-09-11", policy).apply(attempt(), policy);
    c.due("2024-09-19", policy);
    c.advance("2024-09-30", policy);
    api.Case.restore(JSON.stringify(c), policy);
    assert.match(policy.fingerprint, /^[0-9a-f]{64}$/);
  });

  describe("errors name the argument and the field", () => {
    const cases = [
      ["a skipped stage (case_error)", () => open().apply(attempt()).apply({ type: "escalated", date: "2024-09-19", to: "bureau_and_principal" }), { kind: "case_error", field: "to", code: "stage_skipped" }],
      ["an event before the last", () => open().apply(attempt()).apply(attempt("2024-09-11")), { kind: "case_error", code: "event_before_last" }],
      ["below the threshold", () => api.Case.open(student(), { ...absence(), school_days: 5 }, "2024-09-09"), { kind: "case_error", code: "below_threshold" }],
      // The core names no field for an unknown tag (field "", the event itself).
      ["an unknown event type", () => open().apply({ type: "escalate", date: "2024-09-19" }), { kind: "invalid_input", code: "unknown_variant" }],
      ["an impossible date inside an event", () => open().apply({ ...attempt(), date: "2024-09-31" }), { kind: "invalid_input", field: "date" }],
      ["an unknown field of an event", () => open().apply({ ...attempt(), actr: "x" }), { kind: "invalid_input", field: "actr", code: "unknown_field" }],
      ["a bad student region", () => api.Case.open({ student_id: "S", region: "1304" }, absence(), "2024-09-11"), { kind: "invalid_input", field: "student.region", code: "invalid_region" }],
      ["an unknown student field", () => api.Case.open({ student_id: "S", regoin: "130431" }, absence(), "2024-09-11"), { kind: "invalid_input", field: "student.regoin", code: "unknown_field" }],
      ["no student", () => api.Case.open(undefined, absence(), "2024-09-11"), { kind: "invalid_input", field: "student", code: "missing" }],
      ["an unknown trigger kind", () => api.Case.open(student(), { kind: "absense" }, "2024-09-11"), { kind: "invalid_input", field: "trigger", code: "unknown_variant" }],
      ["a bad field of the trigger", () => api.Case.open(student(), { ...absence(), school_days: "8" }, "2024-09-11"), { kind: "invalid_input", field: "trigger.school_days" }],
      ["a trigger that is not JSON", () => api.Case.open(student(), "{", "2024-09-11"), { kind: "invalid_input", field: "trigger", code: "invalid_json" }],
      ["an impossible opening date", () => api.Case.open(student(), absence(), "2024-02-30"), { kind: "invalid_input", field: "date", code: "invalid_date" }],
      ["an opening date that is not a string", () => api.Case.open(student(), absence(), new Date()), { kind: "invalid_input", field: "date", code: "invalid_type" }],
      ["a date before the coverage", () => api.Case.open(student(), absence(), "2016-01-05"), { kind: "policy_not_in_force", field: "date" }],
      ["an impossible today", () => open().due("tomorrow"), { kind: "invalid_input", field: "today", code: "invalid_date" }],
      ["events that are not an array", () => api.Case.replay(student(), { type: "opened" }), { kind: "invalid_input", field: "events", code: "invalid_type" }],
      ["no events", () => api.Case.replay(student(), []), { kind: "invalid_input", field: "events", code: "empty" }],
      ["a replay naming the event", () => api.Case.replay(student(), [{ type: "opened", date: "2024-09-11", trigger: absence() }, { ...attempt(), outcome: "maybe" }]), { kind: "invalid_input", field: "events[1].outcome", code: "unknown_variant" }],
      ["a replay naming the rule broken", () => api.Case.replay(student(), [{ type: "opened", date: "2024-09-11", trigger: absence() }, { type: "escalated", date: "2024-09-19", to: "school_leaders" }]), { kind: "case_error", field: "events[1].to", code: "no_attempt_recorded" }],
      ["a stored case edited by hand", () => api.Case.restore({ ...open().toJSON(), attempts: 3 }), { kind: "invalid_input", code: "state_mismatch" }],
      ["a policy that is not a Policy", () => open().due("2024-09-19", {}), { kind: "invalid_input", field: "policy", code: "invalid_type" }],
    ];
    for (const [name, f, want] of cases) test(name, () => assertError(thrown(f), want));
  });
});

describe("detection, reports, metrics", () => {
  const absent = (...days) => days.map((d) => ({ date: `2024-09-${String(d).padStart(2, "0")}`, status: "absent" }));

  test("detectAbsence: a finding whose trigger opens the case, or null", () => {
    const finding = api.detectAbsence("S-A", absent(2, 3, 4, 5, 6, 9, 10, 11), "2024-09-11");
    assert.equal(finding.student_id, "S-A");
    assert.equal(finding.level, "suspected_dropout");
    assert.deepEqual(finding.trigger, absence());
    assert.equal(api.Case.open(student(), finding.trigger, "2024-09-11").toJSON().classification, "suspected_dropout");
    assert.equal(api.detectAbsence("S-A", absent(11), "2024-09-11"), null);
    assert.deepEqual(api.detectAbsence("S-A", JSON.stringify(absent(2, 3, 4, 5, 6, 9, 10, 11)), "2024-09-11", null), finding);
    assertError(thrown(() => api.detectAbsence("S", [{ date: "2024-09-02", status: "away" }], "2024-09-11")), { kind: "invalid_input", field: "records[0].status", code: "unknown_variant" });
    assertError(thrown(() => api.detectAbsence("S", [...absent(2), ...absent(2)], "2024-09-11")), { kind: "invalid_input", field: "records[1].date", code: "duplicate" });
    assertError(thrown(() => api.detectAbsence("S", [], "2024-09-11", 150924)), { kind: "invalid_input", field: "region", code: "invalid_type" });
  });

  test("compareRegistry: children of school age in no current enrolment", () => {
    const children = [
      { resident_id: "A", birth_date: "2012-03-01" },
      { resident_id: "B", student_id: "S-B", birth_date: "2012-03-01" },
      { resident_id: "C", birth_date: "2012-03-01" },
    ];
    const enrolments = [
      { resident_id: "A", status: "enrolled" },
      { resident_id: "B", status: "left" },
    ];
    const found = api.compareRegistry(children, enrolments, "2024-10-01");
    assert.deepEqual(found.map((f) => [f.student_id, f.level, f.trigger]), [
      ["S-B", "suspected_dropout", { kind: "registry", ever_enrolled: true }],
      ["C", "out_of_school", { kind: "registry", ever_enrolled: false }],
    ]);
    assertError(thrown(() => api.compareRegistry([{ resident_id: "A" }], [], "2024-10-01")), { kind: "invalid_input", field: "children[0].birth_date", code: "missing_field" });
    assertError(thrown(() => api.compareRegistry([], {}, "2024-10-01")), { kind: "invalid_input", field: "enrolments" });
  });

  test("reportsDue: the reports a level owes", () => {
    const due = api.reportsDue("county", "2024-09-30");
    assert.ok(due.length > 0);
    for (const r of due) {
      assert.equal(r.level, "county");
      assert.ok(r.due >= "2024-09-30", r.due);
      assert.equal(typeof r.due_today, "boolean");
    }
    assertError(thrown(() => api.reportsDue("town", "2024-09-30")), { kind: "invalid_input", field: "level", code: "unknown_variant" });
  });

  test("consolidation: the rate against the target in force", () => {
    const c = api.consolidation("nine_year", { entrants: 200, transferred_out: 5, transferred_in: 3, deaths: 1, graduates: 190 }, "2024-06-30");
    assert.equal(c.kind, "nine_year");
    assert.deepEqual(c.rate, { numerator: 190, denominator: 197, percent: "96.45" });
    assert.equal(typeof c.target, "string");
    assert.equal(typeof c.meets_target, "boolean");
    assertError(thrown(() => api.consolidation("primry", { entrants: 1, graduates: 1 }, "2024-06-30")), { kind: "invalid_input", field: "cohort", code: "unknown_variant" });
    assertError(thrown(() => api.consolidation("primary", { entrants: 1 }, "2024-06-30")), { kind: "invalid_input", field: "counts.graduates", code: "missing_field" });
    assertError(thrown(() => api.consolidation("primary", { entrants: 1, graduates: 1 }, "2024-06-31")), { kind: "invalid_input", field: "graduation" });
  });
});

describe("finance", () => {
  const loan = () => ({
    stage: "undergraduate",
    contract_date: "2024-09-20",
    remaining_study_years: 4,
    principals: ["20000.00", "20000.00", "20000.00", "20000.00"],
  });
  const MONEY = /^-?\d+\.\d{2}$/;

  test("loanSchedule: money as two-decimal strings, a receipt, text or object alike", () => {
    const s = api.loanSchedule(loan());
    assert.equal(s.rate.percent, "3.15");
    assert.equal(s.years.length, s.term_years);
    for (const y of s.years) for (const m of [y.disbursed, y.interest, y.borrower_payment, y.closing_balance]) assert.match(m, MONEY);
    assert.ok(s.parameters_used.some((p) => p.name.startsWith("student_loan.")));
    assert.deepEqual(api.loanSchedule(JSON.stringify(loan())), s);
    assert.deepEqual(api.loanSchedule(loan(), api.Policy.national()), s);
  });

  test("each function answers its request", () => {
    const c = api.grassrootsCompensation({
      stage: "undergraduate",
      mode: "tuition_compensation",
      service_start: "2025-07-15",
      standard_study_years: 4,
      years: [{ tuition_paid: "5000.00" }, { tuition_paid: "5000.00" }, { tuition_paid: "5000.00" }, { tuition_paid: "5000.00" }],
    });
    assert.equal(c.total, "20000.00");
    assert.equal(c.instalments.length, 3);
    const f = api.publicFunds({ term: "2024-autumn", schools: [{ school_id: "R1", location: "rural", primary_pupils: 60, boarders: 30 }] });
    assert.equal(f.schools[0].school_id, "R1");
    assert.match(f.total, MONEY);
    const a = api.teacherAllowances({ from_month: "2024-01", to_month: "2024-12", teachers: [{ teacher_id: "T1", school_location: "rural" }] });
    assert.equal(a.teachers[0].teacher_id, "T1");
    assert.match(a.cash_total, MONEY);
    const k = api.careSchedule({ plan: "eight_ones", student_id: "S-1", term: "2024-autumn", as_of: "2024-11-05", log: [{ activity: "home_visit", date: "2024-09-12" }] });
    assert.equal(k.activities.length, 9);
    assert.ok(k.overdue.length > 0);
  });

  test("errors name the field inside the request", () => {
    assertError(thrown(() => api.loanSchedule({ ...loan(), principals: ["x"] })), { kind: "invalid_input", field: "principals[0]" });
    assertError(thrown(() => api.loanSchedule({ ...loan(), stage: "primary" })), { kind: "invalid_input", field: "stage" });
    assertError(thrown(() => api.loanSchedule({ ...loan(), extra: 1 })), { kind: "invalid_input", field: "extra", code: "unknown_field" });
    assertError(thrown(() => api.loanSchedule("{")), { kind: "invalid_input", field: "", code: "invalid_json" });
    assertError(thrown(() => api.loanSchedule(undefined)), { kind: "invalid_input", field: "", code: "missing" });
    assertError(thrown(() => api.loanSchedule({ ...loan(), contract_date: "2010-01-01" })), { kind: "policy_not_in_force" });
    assertError(thrown(() => api.careSchedule({ plan: "eight_ones" })), { kind: "invalid_input", code: "missing_field" });
    assertError(thrown(() => api.publicFunds({ term: "2024-fall", schools: [] })), { kind: "invalid_input", field: "term" });
  });
});

describe("the web package (pkg/) answers like the Node package", () => {
  test("same cases, findings and schedules", async () => {
    const web = await loadWeb();
    const c = (a) => a.Case.open(student(), absence(), "2024-09-11").apply(attempt());
    assert.equal(JSON.stringify(c(web)), JSON.stringify(c(api)));
    assert.deepEqual(c(web).due("2024-09-19"), c(api).due("2024-09-19"));
    assert.deepEqual(web.reportsDue("school", "2024-09-30"), api.reportsDue("school", "2024-09-30"));
    const loan = { stage: "masters", contract_date: "2024-09-20", remaining_study_years: 3, principals: ["25000.00"] };
    assert.deepEqual(web.loanSchedule(loan), api.loanSchedule(loan));
    const e = thrown(() => c(web).apply({ type: "escalated", date: "2024-09-19", to: "bureau_and_principal" }));
    assertError(e, { kind: "case_error", code: "stage_skipped" });
  });
});
