// A typed program against the Node package: tsc checks it against the generated
// declarations (pkg-node/eduaid.d.ts, with wasm/types/eduaid.d.ts spliced in), and
// tests/types.test.mjs runs the emitted JavaScript, so the types are held to real calls.
// Lines marked @ts-expect-error must stay errors: they prove the types are not `any`.

import {
  evaluate,
  evaluateJson,
  evaluateMany,
  Policy,
  programs,
  reasons,
  renderReason,
  requiredInputs,
  version,
  vocabulary,
  zhLabels,
} from "../../pkg-node/eduaid.js";
import type {
  Assessment,
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
];

console.log("typed check: ok");
