// Runs the language-neutral conformance corpus (tests/conformance/*.json and
// tests/malformed/*.json, see tests/README.md) through the JavaScript packages, with exactly
// the semantics of the Rust runner core/tests/conformance.rs: the same order of argument
// handling, the same comparisons (JSON equality of values, "at least these reason codes",
// exact entitled set, error kind/code/line/field), the same mismatch messages. Every case
// runs through both packages (pkg-node and the web package), so the two builds are held to
// the same answers.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { asArray, asStr, asU64, at, isObject, jsonEq, show } from "./corpus.mjs";
import { loadNode, loadWeb, repoRoot } from "./support.mjs";

function loadPolicy(api, kase) {
  let policy = api.Policy.national();
  for (const path of (asArray(kase.overlays) ?? []).filter((p) => typeof p === "string")) {
    // An unreadable overlay is a defect of the corpus: it fails the case loudly (Rust panics).
    const text = readFileSync(join(repoRoot, path), "utf8");
    policy = policy.withOverlay(text, path);
  }
  // Overlays given inline (the malformed-input corpus), after the files.
  for (const item of asArray(kase.overlay_texts) ?? []) {
    policy = policy.withOverlay(asStr(at(item, "text")) ?? "", asStr(at(item, "name")) ?? "overlay");
  }
  return policy;
}

/** The assessment (a plain object) or the thrown error. */
function runCase(api, kase) {
  const policy = loadPolicy(api, kase);
  const asOf = asStr(kase.as_of) ?? "";
  const lang = asStr(kase.lang);
  const profile = asStr(kase.profile_text) ?? kase.profile ?? null;
  return api.evaluate(profile, asOf, policy, lang);
}

const codes = (reasons) => (asArray(reasons) ?? []).map((r) => asStr(at(r, "code"))).filter((c) => c !== undefined);

/** Compare one case; the list of mismatches (empty when it passes). */
function check(api, kase) {
  const bad = [];
  let assessment;
  let error;
  try {
    assessment = runCase(api, kase);
  } catch (e) {
    if (!(e instanceof Error) || typeof e.kind !== "string") throw e; // not an EduaidError: a defect
    error = e;
  }
  if ("expect_error" in kase) {
    const expected = kase.expect_error;
    if (!error) {
      bad.push(`expected error ${show(expected)}, got an assessment`);
    } else {
      if (asStr(at(expected, "kind")) !== error.kind) {
        bad.push(`error kind ${error.kind} != expected ${show(at(expected, "kind"))}`);
      }
      const code = asStr(at(expected, "code"));
      if (code !== undefined && code !== error.code) {
        bad.push(`error code '${error.code}' != expected '${code}'`);
      }
      const line = asU64(at(expected, "line"));
      if (line !== undefined) {
        // Only a policy error names a line; any other error counts as line 0.
        const got = error.kind === "policy_error" ? error.line : 0;
        if (got !== line) bad.push(`error line ${got} != expected ${line}`);
      }
      const field = asStr(at(expected, "field"));
      if (field !== undefined && field !== error.field) {
        bad.push(`error field '${error.field}' != expected '${field}' (${error.message})`);
      }
    }
    return bad;
  }
  if (error) {
    return [`unexpected error ${error.kind}: ${error.message} (${error.field})`];
  }
  const expect = at(kase, "expect");
  if (isObject(expect) && "difficulty_level" in expect) {
    const level = expect.difficulty_level;
    if (!jsonEq(at(assessment, "difficulty_level"), level)) {
      bad.push(`difficulty_level ${show(at(assessment, "difficulty_level"))} != ${show(level)}`);
    }
  }
  const find = (list, program) => (asArray(at(assessment, list)) ?? []).find((e) => at(e, "program") === program);

  const entitled = at(expect, "entitled");
  if (isObject(entitled)) {
    for (const [program, want] of Object.entries(entitled)) {
      const got = find("entitlements", program);
      if (!got) {
        const notEligible = find("not_eligible", program);
        const why = notEligible ? codes(at(notEligible, "because")).join(",") : "";
        bad.push(`${program}: expected entitled, got not eligible (${why})`);
        continue;
      }
      for (const field of ["kind", "annual_amount", "school_year_total"]) {
        if (isObject(want) && field in want && !jsonEq(at(got, field), want[field])) {
          bad.push(`${program}.${field}: ${show(at(got, field))} != expected ${show(want[field])}`);
        }
      }
      const wantPayments = at(want, "payments");
      if (isObject(wantPayments)) {
        const gotPayments = {};
        for (const p of asArray(at(got, "payments")) ?? []) {
          gotPayments[asStr(at(p, "term")) ?? ""] = at(p, "amount");
        }
        if (!jsonEq(gotPayments, wantPayments)) {
          bad.push(`${program}.payments: ${show(gotPayments)} != expected ${show(wantPayments)}`);
        }
      }
      const wantBecause = asArray(at(want, "because"));
      if (wantBecause) {
        const have = codes(at(got, "because"));
        for (const code of wantBecause.filter((c) => typeof c === "string")) {
          if (!have.includes(code)) bad.push(`${program}: reason ${code} missing (has ${have.join(",")})`);
        }
      }
    }
  }

  const notEligible = at(expect, "not_eligible");
  if (isObject(notEligible)) {
    for (const [program, want] of Object.entries(notEligible)) {
      if (find("entitlements", program)) {
        bad.push(`${program}: expected not eligible, got entitled`);
        continue;
      }
      const got = find("not_eligible", program);
      if (!got) {
        bad.push(`${program}: not listed at all`);
        continue;
      }
      const have = codes(at(got, "because"));
      for (const code of (asArray(want) ?? []).filter((c) => typeof c === "string")) {
        if (!have.includes(code)) bad.push(`${program}: reason ${code} missing (has ${have.join(",")})`);
      }
    }
  }

  const only = asArray(at(expect, "only_entitled"));
  if (only) {
    const want = only.filter((p) => typeof p === "string").sort();
    const have = (asArray(at(assessment, "entitlements")) ?? [])
      .map((e) => asStr(at(e, "program")))
      .filter((p) => p !== undefined)
      .sort();
    if (!jsonEq(want, have)) bad.push(`entitled set ${show(have)} != expected ${show(want)}`);
  }

  if (isObject(expect) && "annual_cash_total" in expect) {
    if (!jsonEq(at(assessment, "annual_cash_total"), expect.annual_cash_total)) {
      bad.push(`annual_cash_total ${show(at(assessment, "annual_cash_total"))} != ${show(expect.annual_cash_total)}`);
    }
  }

  const notes = asArray(at(expect, "notes"));
  if (notes) {
    const have = codes(at(assessment, "notes"));
    for (const code of notes.filter((c) => typeof c === "string")) {
      if (!have.includes(code)) bad.push(`note ${code} missing (has ${have.join(",")})`);
    }
  }
  return bad;
}

// The corpus, read once: the .json files of tests/conformance/ and tests/malformed/ (when
// it exists) in path order; case ids unique across the corpus.
const files = ["conformance", "malformed"]
  .map((dir) => join(repoRoot, "tests", dir))
  .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
  .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => join(dir, f)))
  .sort();
const corpus = files.map((path) => {
  const doc = JSON.parse(readFileSync(path, "utf8"));
  const file = basename(path);
  assert.ok(Array.isArray(doc.cases), `${file}: no cases`);
  return { file, cases: doc.cases };
});

test("case ids are unique across the corpus", () => {
  const ids = new Set();
  for (const { file, cases } of corpus) {
    for (const kase of cases) {
      assert.equal(typeof kase.id, "string", `${file}: a case without an id`);
      assert.ok(!ids.has(kase.id), `duplicate case id ${kase.id}`);
      ids.add(kase.id);
    }
  }
});

for (const [label, api] of [
  ["pkg-node", loadNode()],
  ["pkg (web)", await loadWeb()],
]) {
  describe(`conformance corpus via ${label}`, () => {
    let passed = 0;
    const failed = [];
    for (const { file, cases } of corpus) {
      for (const kase of cases) {
        test(`${kase.id} [${file}]`, () => {
          const bad = check(api, kase);
          if (bad.length === 0) {
            passed += 1;
          } else {
            failed.push(kase.id);
          }
          assert.deepEqual(bad, [], `${kase.id} [${file}]:\n    ${bad.join("\n    ")}`);
        });
      }
    }
    test("summary", (t) => {
      // The closing line, as a diagnostic the test runner prints in its report.
      t.diagnostic(`conformance (${label}): ${passed} passed, ${failed.length} failed`);
      assert.equal(failed.length, 0, `${failed.length} conformance cases failed: ${failed.join(", ")}`);
      assert.ok(passed > 0, "the corpus ran no case");
    });
  });
}
