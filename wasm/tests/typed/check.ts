// A typed program against the Node package: tsc checks it against the generated
// declarations (pkg-node/eduaid.d.ts, with wasm/types/eduaid.d.ts spliced in), and
// tests/types.test.mjs runs the emitted JavaScript, so the types are held to real calls.
// Lines marked @ts-expect-error must stay errors: they prove the types are not `any`.

import {
  Case,
  careSchedule,
  compareRegistry,
  consolidation,
  detectAbsence,
  evaluate,
  evaluateJson,
  evaluateMany,
  grassrootsCompensation,
  loanSchedule,
  Policy,
  programs,
  publicFunds,
  reasons,
  renderReason,
  reportsDue,
  requiredInputs,
  teacherAllowances,
  version,
  vocabulary,
  zhLabels,
} from "../../pkg-node/eduaid.js";
import type {
  Action,
  Assessment,
  CaseData,
  Consolidation,
  Event,
  Finding,
  LoanRequest,
  LoanSchedule,
  ReportDue,
  Student,
  Trigger,
  EduaidError,
  Entitlement,
  Envelope,
  ErrorBody,
  Money,
  Payment,
  Profile,
  ProgramInfo,
  Reason,
  ReasonTemplate,
  Vocabulary,
} from "../../pkg-node/eduaid.js";

function ok(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`typed check failed: ${message}`);
}

const profile: Profile = {
  student_id: "S-0001",
  stage: "junior_middle",
  grade: 2,
  boarding: true,
  hukou: "rural",
  household: { statuses: ["lifted_out_of_poverty", "dibao"] },
  difficulty_level: null,
};

const policy: Policy = Policy.national();
const assessment: Assessment = evaluate(profile, "2024-10-01", policy, "zh");
const subsidy: Entitlement | undefined = assessment.entitlements.find(
  (e) => e.program === "compulsory_living_subsidy",
);
ok(subsidy, "the subsidy is granted");
const annual: Money | null = subsidy.annual_amount;
ok(annual === "1500.00", `annual ${annual}`);
const payments: Payment[] = subsidy.payments;
ok(payments.map((p) => `${p.term}=${p.amount}`).join() === "2024-autumn=750.00,2025-spring=750.00", "payments");
const why: Reason[] = subsidy.because;
ok(why.every((r) => typeof r.message === "string" && typeof r.params === "object"), "reasons");
ok(assessment.difficulty_level === "especially", "level");
ok(assessment.policy.fingerprint === policy.fingerprint, "fingerprint");
ok(typeof evaluateJson(profile, "2024-10-01") === "string", "evaluateJson");

const envelopes: Envelope[] = evaluateMany([profile, { ...profile, grade: 9 }], "2024-10-01");
const first = envelopes[0];
const second = envelopes[1];
ok(first && "ok" in first && first.ok.annual_cash_total === "1500.00", "first envelope");
ok(second && "error" in second, "second envelope");
const body: ErrorBody = second.error;
ok(body.kind === "invalid_input" && body.field === "grade", `error body ${JSON.stringify(body)}`);

try {
  evaluate({ ...profile, household: { statuses: ["dibao"] } }, "2016-01-01");
  ok(false, "expected a throw");
} catch (caught) {
  const e = caught as EduaidError;
  ok(e instanceof Error && e.kind === "policy_not_in_force" && e.field === "as_of", "thrown error");
}

const catalogue: ProgramInfo[] = programs();
const inputs: string[] = requiredInputs(catalogue[0]?.id ?? "free_textbooks", policy);
ok(inputs.includes("stage"), "inputs");
const templates: ReasonTemplate[] = reasons();
ok(templates.length > 0, "templates");
const words: Vocabulary = vocabulary();
ok(words.max_grade.primary === 6, "max grade");
ok(zhLabels()["dibao"] === "低保", "labels");
ok(renderReason("boarding", {}, "zh") === "学生为寄宿生", "renderReason");
ok(typeof version() === "string", "version");
const overlaid: Policy = policy.withOverlay('{"overlay": {"region": "130431", "name": "t"}}', "t.json");
ok(overlaid.regions.join() === "130431", "overlay regions");

// Dropout cases: the data is typed, the class is a value.
const child: Student = { student_id: "S-A", region: "130431", birth_date: "2010-05-20", groups: ["left_behind"] };
const trigger: Trigger = { kind: "absence", first_absent: "2024-09-02", school_days: 8 };
const refused: Event = { type: "persuasion_attempt", date: "2024-09-12", actor: "班主任", outcome: "refused" };
const opened: Case = Case.open(child, trigger, "2024-09-11", policy);
const attempted: Case = opened.apply(refused, policy);
const actions: Action[] = attempted.due("2024-09-19", policy);
const first_action = actions[0];
ok(first_action?.kind === "escalate" && first_action.stage === "school_leaders", `actions ${JSON.stringify(actions)}`);
const data: CaseData = attempted.advance("2024-09-30").toJSON();
ok(data.stage === "school_leaders" && data.events.length === 3, "advanced");
const last: Event | undefined = data.events[data.events.length - 1];
ok(last?.type === "escalated" && last.to === "school_leaders", "the escalation event narrows by type");
ok(JSON.stringify(Case.restore(data)) === JSON.stringify(data), "restore");
ok(Case.replay(data.student, data.events).toJSON().stage === "school_leaders", "replay");
const finding: Finding | null = detectAbsence("S-A", [{ date: "2024-09-11", status: "absent" }], "2024-09-11");
ok(finding === null, "one day is below the home-visit threshold");
const registry: Finding[] = compareRegistry([{ resident_id: "X", birth_date: "2012-03-01" }], [], "2024-10-01");
ok(registry[0]?.trigger.kind === "registry", "registry finding");
const reports: ReportDue[] = reportsDue("county", "2024-09-30");
ok(reports.every((r) => r.level === "county"), "reports");
const rate: Consolidation = consolidation("nine_year", { entrants: 200, graduates: 190 }, "2024-06-30");
ok(rate.rate.percent === "95", `rate ${rate.rate.percent}`);

// Finance: requests typed, answers plain objects.
const request: LoanRequest = { stage: "undergraduate", contract_date: "2024-09-20", remaining_study_years: 4, principals: ["20000.00"] };
const schedule: LoanSchedule = loanSchedule(request, policy);
ok(schedule.rate.percent === "3.15" && schedule.years.every((y) => typeof y.interest === "string"), "loan");
const compensation = grassrootsCompensation({
  stage: "undergraduate",
  mode: "tuition_compensation",
  service_start: "2025-07-15",
  standard_study_years: 4,
  years: [{ tuition_paid: "5000.00" }],
});
ok(compensation.total === "5000.00", `compensation ${compensation.total}`);
const funds = publicFunds({ term: "2024-autumn", schools: [{ school_id: "R1", location: "rural", primary_pupils: 60 }] });
ok(funds.schools.length === 1, "funds");
const allowances = teacherAllowances({ from_month: "2024-01", to_month: "2024-03", teachers: [{ teacher_id: "T1", school_location: "rural" }] });
ok(allowances.teachers[0]?.teacher_id === "T1", "allowances");
const care = careSchedule({ plan: "home_teaching", term: "2024-autumn", as_of: "2024-10-01" });
ok(care.activities[0]?.activity === "home_teaching_visit", "care");

// These must not type-check (never called at run time).
export const mistakes = [
  // @ts-expect-error grade is a number
  () => evaluate({ ...profile, grade: "2" }, "2024-10-01"),
  // @ts-expect-error stage is a closed vocabulary
  () => evaluate({ ...profile, stage: "kindergarten" }, "2024-10-01"),
  // @ts-expect-error household is required
  () => evaluate({ stage: "primary", grade: 1, hukou: "rural" }, "2024-10-01"),
  // @ts-expect-error lang is zh or en
  () => evaluate(profile, "2024-10-01", null, "fr"),
  // @ts-expect-error money is a string, not a number
  (): number => assessment.annual_cash_total,
  // @ts-expect-error an envelope must be narrowed before use
  () => envelopes[0]?.ok,
  // @ts-expect-error an event type is a closed list
  () => opened.apply({ type: "escalate", date: "2024-09-19", to: "school_leaders" }),
  // @ts-expect-error an escalation names the stage it enters
  () => opened.apply({ type: "escalated", date: "2024-09-19" }),
  // @ts-expect-error a trigger is tagged by kind
  () => Case.open(child, { first_absent: "2024-09-02", school_days: 8 }, "2024-09-11"),
  // @ts-expect-error a student needs an id
  () => Case.open({ region: "130431" }, trigger, "2024-09-11"),
  // @ts-expect-error an action's due date may be absent (open-ended steps)
  (): string => actions[0]!.due,
  // @ts-expect-error principals are money strings
  () => loanSchedule({ ...request, principals: [20000] }),
  // @ts-expect-error a level is a closed list
  () => reportsDue("town", "2024-09-30"),
];

console.log("typed check: ok");
