// The JavaScript API of the packages (interface.md, "Entry points", JavaScript column):
// plain-object results in the shape of the Rust JSON, errors as real Error objects with
// kind/field/code, roster envelopes, the policy handle, the catalogues.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadNode, loadWeb, repoRoot, workspaceVersion } from "./support.mjs";

const api = loadNode();
const AS_OF = "2024-10-01";
const MONEY = /^-?\d+\.\d{2}$/;

/** The interface.md example student: junior middle grade 2, boarder, rural, dibao. */
const boarder = () => ({
  student_id: "S-0001",
  stage: "junior_middle",
  grade: 2,
  boarding: true,
  hukou: "rural",
  household: { statuses: ["dibao"] },
});

/** Call `f`, which must throw; the thrown value. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

/** Assert `e` is an EduaidError with these properties. */
function assertError(e, { kind, field, code }) {
  assert.ok(e instanceof Error, `not an Error: ${String(e)}`);
  assert.equal(e.name, "EduaidError");
  assert.equal(e.kind, kind, e.message);
  if (field !== undefined) assert.equal(e.field, field, e.message);
  if (code !== undefined) assert.equal(e.code, code, e.message);
  assert.equal(typeof e.message, "string");
  assert.ok(e.message.length > 0);
  assert.equal(typeof e.stack, "string");
}

const overlayPath = "core/policy/regions/150924.json";
const overlayText = readFileSync(join(repoRoot, overlayPath), "utf8");

describe("evaluate", () => {
  test("the interface.md example: 1500.00 a year, 750.00 a term", () => {
    const a = api.evaluate(boarder(), AS_OF);
    assert.equal(Object.getPrototypeOf(a), Object.prototype, "a plain object");
    assert.equal(a.as_of, AS_OF);
    assert.equal(a.student_id, "S-0001");
    assert.equal(a.difficulty_level, "especially");
    const subsidy = a.entitlements.find((e) => e.program === "compulsory_living_subsidy");
    assert.deepEqual(
      { annual: subsidy.annual_amount, payments: subsidy.payments, total: subsidy.school_year_total, kind: subsidy.kind },
      {
        annual: "1500.00",
        payments: [
          { term: "2024-autumn", amount: "750.00" },
          { term: "2025-spring", amount: "750.00" },
        ],
        total: "1500.00",
        kind: "cash",
      },
    );
    assert.equal(a.annual_cash_total, "1500.00");
    assert.ok(a.not_eligible.some((n) => n.program === "nutrition_improvement"));
    assert.equal(a.policy.id, "cn-national");
  });

  test("money is always a string with two decimals, never a number", () => {
    const profiles = [
      boarder(),
      { stage: "undergraduate", grade: 1, hukou: "rural", household: { statuses: ["lifted_out_of_poverty"] } },
      { stage: "general_high", grade: 3, hukou: "urban", household: { statuses: [] }, difficulty_level: "general" },
      { stage: "preschool", grade: 3, hukou: "rural", household: { statuses: ["orphan"] } },
    ];
    for (const profile of profiles) {
      const a = api.evaluate(profile, AS_OF);
      assert.match(a.annual_cash_total, MONEY);
      for (const e of a.entitlements) {
        for (const m of [e.annual_amount, e.school_year_total, ...e.payments.map((p) => p.amount)]) {
          if (m !== null) assert.match(m, MONEY, `${e.program}: ${m}`);
        }
      }
      // No float anywhere in the result.
      const numbers = [];
      JSON.stringify(a, (k, v) => (typeof v === "number" && numbers.push(k), v));
      assert.deepEqual(numbers, [], "numbers in the assessment");
    }
  });

  test("the result is byte for byte the Rust JSON (evaluateJson)", () => {
    for (const lang of [undefined, "en", "zh"]) {
      const text = api.evaluateJson(boarder(), AS_OF, undefined, lang);
      assert.equal(JSON.stringify(api.evaluate(boarder(), AS_OF, undefined, lang)), text);
      assert.ok(text.includes('"annual_amount":"1500.00"'));
    }
  });

  test("a profile may be given as JSON text", () => {
    const text = JSON.stringify(boarder());
    assert.deepEqual(api.evaluate(text, AS_OF), api.evaluate(boarder(), AS_OF));
  });

  test("messages are English by default, Chinese on request", () => {
    const en = api.evaluate(boarder(), AS_OF);
    const zh = api.evaluate(boarder(), AS_OF, null, "zh");
    const reason = (a) => a.entitlements.find((e) => e.program === "compulsory_living_subsidy").because.find((r) => r.code === "boarding");
    assert.equal(reason(en).message, "the student boards at school");
    assert.equal(reason(zh).message, "学生为寄宿生");
    assert.deepEqual(api.evaluate(boarder(), AS_OF, null, "en"), en);
  });

  test("the same input gives the same output (snapshot-friendly)", () => {
    assert.equal(api.evaluateJson(boarder(), AS_OF), api.evaluateJson(boarder(), AS_OF));
  });
});

describe("errors are Error objects with kind, field and code", () => {
  const cases = [
    [
      "an unknown status names its index",
      () => api.evaluate({ ...boarder(), household: { statuses: ["dibao", "dibaoo"] } }, AS_OF),
      { kind: "invalid_input", field: "household.statuses[1]", code: "unknown_variant" },
    ],
    ["an impossible grade", () => api.evaluate({ ...boarder(), grade: 4 }, AS_OF), { kind: "invalid_input", field: "grade", code: "out_of_range" }],
    [
      "a missing required field",
      () => api.evaluate({ stage: "primary", grade: 1, household: { statuses: [] } }, AS_OF),
      { kind: "invalid_input", field: "hukou", code: "missing_field" },
    ],
    ["an unknown field", () => api.evaluate({ ...boarder(), x: 1 }, AS_OF), { kind: "invalid_input", field: "x", code: "unknown_field" }],
    ["a wrong type", () => api.evaluate({ ...boarder(), grade: "2" }, AS_OF), { kind: "invalid_input", field: "grade", code: "invalid_type" }],
    ["broken JSON text", () => api.evaluate("{", AS_OF), { kind: "invalid_input", field: "", code: "invalid_json" }],
    ["no profile", () => api.evaluate(undefined, AS_OF), { kind: "invalid_input", field: "" }],
    ["a BigInt cannot become JSON", () => api.evaluate({ ...boarder(), grade: 2n }, AS_OF), { kind: "invalid_input", field: "", code: "invalid_type" }],
    ["an impossible date", () => api.evaluate(boarder(), "2024-02-30"), { kind: "invalid_input", field: "as_of", code: "invalid_date" }],
    ["a date that is not a string", () => api.evaluate(boarder(), new Date()), { kind: "invalid_input", field: "as_of", code: "invalid_type" }],
    ["a date before the coverage", () => api.evaluate(boarder(), "2016-08-31"), { kind: "policy_not_in_force", field: "as_of" }],
    ["an unknown language", () => api.evaluate(boarder(), AS_OF, null, "fr"), { kind: "invalid_input", field: "lang", code: "unknown_variant" }],
    ["a policy that is not a Policy", () => api.evaluate(boarder(), AS_OF, { fingerprint: "x" }), { kind: "invalid_input", field: "policy", code: "invalid_type" }],
    ["an unknown program", () => api.requiredInputs("no_such_program"), { kind: "invalid_input", field: "program", code: "unknown_program" }],
    ["profiles that are not an array", () => api.evaluateMany(boarder(), AS_OF), { kind: "invalid_input", field: "profiles", code: "invalid_type" }],
    ["evaluateMany checks the date once, for all", () => api.evaluateMany([boarder()], "tomorrow"), { kind: "invalid_input", field: "as_of" }],
  ];
  for (const [name, f, want] of cases) {
    test(name, () => assertError(thrown(f), want));
  }

  test("the message is the sentence a person can act on", () => {
    const e = thrown(() => api.evaluate({ ...boarder(), household: { statuses: ["dibao", "dibaoo"] } }, AS_OF));
    assert.match(e.message, /dibaoo/);
    assert.match(e.message, /lifted_out_of_poverty/);
  });

  test("a rejected overlay names its file and line", () => {
    const broken = overlayText.replace(/"region"\s*:\s*"150924"/, '"region": "15092"');
    assert.notEqual(broken, overlayText, "the overlay has a region to break");
    const e = thrown(() => api.Policy.national().withOverlay(broken, "broken.json"));
    assertError(e, { kind: "policy_error" });
    assert.equal(e.file, "broken.json");
    assert.equal(typeof e.line, "number");
    assert.ok(e.line >= 1, `line ${e.line}`);
    const syntax = thrown(() => api.Policy.national().withOverlay("{", "x.json"));
    assertError(syntax, { kind: "policy_error" });
    assert.equal(syntax.file, "x.json");
  });
});

describe("evaluateMany", () => {
  test("one envelope per profile, in order; a bad profile never fails the batch", () => {
    const bad = { ...boarder(), household: { statuses: ["dibao", "dibaoo"] } };
    const out = api.evaluateMany([boarder(), bad, JSON.stringify({ ...boarder(), student_id: "S-2" }), 5n, null], AS_OF, null, "zh");
    assert.equal(out.length, 5);
    assert.deepEqual(Object.keys(out[0]), ["ok"]);
    assert.deepEqual(out[0].ok, api.evaluate(boarder(), AS_OF, null, "zh"));
    assert.deepEqual(Object.keys(out[1]), ["error"]);
    assert.deepEqual(Object.keys(out[1].error).sort(), ["code", "field", "kind", "message"]);
    const e = thrown(() => api.evaluate(bad, AS_OF));
    assert.deepEqual(out[1].error, { kind: e.kind, field: e.field, code: e.code, message: e.message });
    assert.equal(out[2].ok.student_id, "S-2");
    assert.equal(out[3].error.kind, "invalid_input");
    assert.equal(out[4].error.kind, "invalid_input");
  });

  test("an empty roster gives an empty list", () => {
    assert.deepEqual(api.evaluateMany([], AS_OF), []);
  });
});

describe("Policy", () => {
  test("the national fingerprint is stable and hex SHA-256", () => {
    const a = api.Policy.national();
    const b = api.Policy.national();
    assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(a.id, "cn-national");
    assert.deepEqual(a.regions, []);
    assert.match(a.coverageStart, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(api.evaluate(boarder(), AS_OF, a).policy.fingerprint, a.fingerprint);
  });

  test("an overlay gives a new policy with its own stable fingerprint", () => {
    const national = api.Policy.national();
    const one = national.withOverlay(overlayText, overlayPath);
    const two = api.Policy.national().withOverlay(overlayText, overlayPath);
    assert.notEqual(one.fingerprint, national.fingerprint);
    assert.equal(one.fingerprint, two.fingerprint);
    assert.deepEqual(one.regions, ["150924"]);
    assert.deepEqual(national.regions, [], "withOverlay leaves the original alone");
    const a = api.evaluate({ ...boarder(), school_region: "150924", hukou_region: "150924" }, AS_OF, one);
    assert.deepEqual(a.policy.regions, ["150924"]);
  });

  test("passing a policy does not use it up", () => {
    const policy = api.Policy.national();
    api.evaluate(boarder(), AS_OF, policy);
    api.evaluateMany([boarder()], AS_OF, policy);
    api.requiredInputs("free_textbooks", policy);
    assert.match(policy.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(policy.clone().fingerprint, policy.fingerprint);
  });
});

describe("catalogues", () => {
  test("programs: the national catalogue with ids, names, kinds and inputs", () => {
    const programs = api.programs();
    const ids = programs.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes("compulsory_living_subsidy"));
    for (const p of programs) {
      assert.ok(["cash", "waiver", "in_kind", "loan", "award"].includes(p.kind), p.id);
      assert.ok(p.name_zh && p.name_en && p.basis, p.id);
      assert.deepEqual(api.requiredInputs(p.id), p.inputs);
    }
  });

  test("requiredInputs lists the fields a program reads", () => {
    const inputs = api.requiredInputs("compulsory_living_subsidy");
    assert.ok(Array.isArray(inputs));
    for (const field of ["stage", "grade", "boarding", "household.statuses"]) assert.ok(inputs.includes(field), field);
    assert.ok(!api.requiredInputs("free_textbooks").includes("boarding"));
  });

  test("reasons: every code used has an English and a Chinese template", () => {
    const catalogue = new Map(api.reasons().map((r) => [r.code, r]));
    assert.ok(catalogue.size > 10);
    for (const lang of ["en", "zh"]) {
      const a = api.evaluate(boarder(), AS_OF, null, lang);
      const reasons = [...a.entitlements, ...a.not_eligible].flatMap((x) => x.because).concat(a.notes ?? []);
      assert.ok(reasons.length > 5);
      for (const r of reasons) {
        const t = catalogue.get(r.code);
        assert.ok(t, `code ${r.code} is not in the catalogue`);
        assert.ok(t.en && t.zh, r.code);
        // renderReason renders exactly the message the library wrote.
        assert.equal(api.renderReason(r.code, r.params, lang), r.message, r.code);
        if (lang === "en") {
          // In English the public template filled with the params is the message.
          const rendered = Object.entries(r.params).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), t.en);
          assert.equal(rendered, r.message, r.code);
        }
      }
    }
  });

  test("zhLabels: the Chinese labels of parameter values", () => {
    const labels = api.zhLabels();
    assert.equal(labels.junior_middle, "初中");
    assert.equal(labels.dibao, "低保");
    assert.equal(api.renderReason("stage_in", { stage: "junior_middle" }, "zh"), `学生就读学段为${labels.junior_middle}`);
    assert.equal(api.renderReason("stage_in", { stage: "junior_middle" }), "the student is in junior_middle");
    assertError(thrown(() => api.renderReason("stage_in", { stage: 1 })), { kind: "invalid_input", field: "params.stage" });
  });

  test("vocabulary: the closed lists of the profile", () => {
    const v = api.vocabulary();
    assert.equal(v.stage.length, 9);
    assert.ok(v.household_status.includes("de_facto_unsupported"));
    assert.equal(v.max_grade.primary, 6);
    assert.equal(v.max_grade.undergraduate, 5);
    assert.deepEqual(v.difficulty_level, ["especially", "relatively", "general"]);
  });

  test("version is the workspace version", () => {
    assert.equal(api.version(), workspaceVersion());
    const pkg = JSON.parse(readFileSync(new URL("../pkg-node/package.json", import.meta.url), "utf8"));
    assert.equal(pkg.version, workspaceVersion());
  });
});

describe("the web package (pkg/) answers like the Node package", () => {
  test("same assessments, errors and catalogues", async () => {
    const web = await loadWeb();
    for (const lang of ["en", "zh"]) {
      assert.equal(web.evaluateJson(boarder(), AS_OF, null, lang), api.evaluateJson(boarder(), AS_OF, null, lang));
    }
    assert.equal(web.Policy.national().fingerprint, api.Policy.national().fingerprint);
    assert.deepEqual(web.programs(), api.programs());
    assert.deepEqual(web.reasons(), api.reasons());
    const e = thrown(() => web.evaluate({ ...boarder(), household: { statuses: ["dibao", "dibaoo"] } }, AS_OF));
    assertError(e, { kind: "invalid_input", field: "household.statuses[1]" });
  });
});
