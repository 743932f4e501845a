// Runs the language-neutral dropout-control corpus (tests/conformance_dropout/*.json, see
// its README) through the JavaScript packages, with exactly the semantics of the Rust runner
// core/tests/dropout_conformance.rs: the same policy loading (overlay files, then the inline
// overlays written as serde_json's pretty text and named `<id>.inline[<i>]`), the same
// calls per `kind` (case, absence, registry, reports, consolidation), the same comparisons
// (the fields `expect` names, null for a missing one; exactly as many actions, findings or
// reports as expected, each compared on the fields it gives; the error's kind/code/field),
// the same restore round trip, the same mismatch messages. Every case runs through both
// packages.
//
// One difference of shape, none of outcome on this corpus: the Rust runner reads the
// student and the events with serde before replaying (a case it cannot read fails there),
// while `Case.replay` reads and replays in one call, so such a case would report the
// binding's error instead. No case of the corpus has an unreadable student or event.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { asArray, asStr, at, errorJson, isObject, jsonEq, prettyRust, show } from "./corpus.mjs";
import { loadNode, loadWeb, repoRoot } from "./support.mjs";

/** An EduaidError, or rethrow: anything else is a defect of the binding or the runner. */
function eduaidError(e) {
  if (e instanceof Error && typeof e.kind === "string") return e;
  throw e;
}

/** Run `f`: `{ ok: value }` or `{ error: EduaidError }`. */
function attempt(f) {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: eduaidError(e) };
  }
}

function loadPolicy(api, kase) {
  let policy = api.Policy.national();
  for (const path of (asArray(at(kase, "overlays")) ?? []).filter((p) => typeof p === "string")) {
    // An unreadable overlay is a defect of the corpus: it fails the case loudly (Rust panics).
    const text = readFileSync(join(repoRoot, path), "utf8");
    policy = policy.withOverlay(text, path);
  }
  (asArray(at(kase, "overlay_inline")) ?? []).forEach((doc, i) => {
    const name = `${asStr(at(kase, "id")) ?? "?"}.inline[${i}]`;
    policy = policy.withOverlay(prettyRust(doc), name);
  });
  return policy;
}

/** Compare the fields `expected` names with `actual`; push mismatches. */
function compare(what, expected, actual, bad) {
  if (!isObject(expected)) return;
  for (const [k, want] of Object.entries(expected)) {
    const got = at(actual, k);
    if (!jsonEq(got, want)) bad.push(`${what}.${k}: expected ${show(want)}, got ${show(got)}`);
  }
}

function checkError(expected, e, bad) {
  for (const k of ["kind", "code", "field"]) {
    if (isObject(expected) && Object.hasOwn(expected, k) && !jsonEq(e[k], expected[k])) {
      bad.push(`error ${k}: expected ${show(expected[k])}, got ${show(e[k])} (${e.message})`);
    }
  }
}

/** Exactly as many items as expected, each compared on the fields it gives. */
function compareList(what, expected, got, bad, label) {
  const want = asArray(expected) ?? [];
  const have = asArray(got) ?? [];
  if (want.length !== have.length) bad.push(`expected ${want.length} ${label}, got ${show(have)}`);
  for (let j = 0; j < Math.min(want.length, have.length); j += 1) compare(`${what}[${j}]`, want[j], have[j], bad);
}

/** A date of the corpus: Rust panics on a value that is not a string (a defect of the corpus). */
function date(v) {
  assert.equal(typeof v, "string", `a date string, got ${show(v)}`);
  return v;
}

function runCaseKind(api, kase, policy, bad) {
  const replayed = attempt(() => api.Case.replay(at(kase, "student"), at(kase, "events"), policy));
  if (Object.hasOwn(kase, "expect_error")) {
    if (replayed.error) checkError(kase.expect_error, replayed.error, bad);
    else bad.push(`expected error ${show(kase.expect_error)}, got a case`);
    return;
  }
  if (replayed.error) return bad.push(`replay failed: ${errorJson(replayed.error)}`);
  let c = replayed.ok;
  if (Object.hasOwn(kase, "advance_to")) {
    const advanced = attempt(() => c.advance(date(kase.advance_to), policy));
    if (advanced.error) return bad.push(`advance failed: ${errorJson(advanced.error)}`);
    c = advanced.ok;
  }
  const data = c.toJSON();
  const state = { ...data, ladder_region: data.ladder.region ?? null, events: data.events.length };
  if (Object.hasOwn(kase, "expect")) compare("expect", kase.expect, state, bad);
  (asArray(at(kase, "due")) ?? []).forEach((check, i) => {
    const today = date(at(check, "today"));
    const actions = c.due(today, policy);
    const want = asArray(at(check, "actions")) ?? [];
    if (want.length !== actions.length) {
      bad.push(`due[${i}] on ${today}: expected ${want.length} actions, got ${actions.length}: ${show(actions)}`);
      return;
    }
    want.forEach((w, j) => compare(`due[${i}].actions[${j}]`, w, actions[j], bad));
  });
  // Whatever the case, replay and serde give it back.
  const back = attempt(() => api.Case.restore(JSON.stringify(c), policy));
  if (back.error) bad.push(`restore failed: ${errorJson(back.error)}`);
  else if (!jsonEq(back.ok.toJSON(), data)) bad.push("restore gave another case");
}

function run(api, kase, bad) {
  const loaded = attempt(() => loadPolicy(api, kase));
  if (loaded.error) {
    if (Object.hasOwn(kase, "expect_error")) return checkError(kase.expect_error, loaded.error, bad);
    return bad.push(`policy: ${errorJson(loaded.error)}`);
  }
  const policy = loaded.ok;
  const kind = asStr(at(kase, "kind")) ?? "case";
  const region = asStr(at(kase, "region")) ?? "";
  switch (kind) {
    case "case":
      return runCaseKind(api, kase, policy, bad);
    case "absence": {
      const found = attempt(() => api.detectAbsence("S", at(kase, "records"), date(at(kase, "as_of")), region, policy));
      const expected = at(kase, "expect");
      if (!found.error && found.ok === null && expected === null) return;
      if (!found.error && found.ok !== null && expected !== null) {
        const got = { ...found.ok, school_days: at(found.ok.trigger, "school_days"), first_absent: at(found.ok.trigger, "first_absent") };
        return compare("expect", expected, got, bad);
      }
      return bad.push(`expected ${show(expected)}, got ${found.error ? `Err(${errorJson(found.error)})` : show(found.ok)}`);
    }
    case "registry": {
      const found = attempt(() => api.compareRegistry(at(kase, "children"), at(kase, "enrolments"), date(at(kase, "as_of")), policy));
      if (found.error) return bad.push(`registry: ${errorJson(found.error)}`);
      return compareList("expect", at(kase, "expect"), found.ok, bad, "findings");
    }
    case "reports": {
      // The level is read first and must be valid (Rust unwraps it: a defect of the corpus).
      const level = asStr(at(kase, "level")) ?? "";
      assert.ok(["school", "county", "prefecture", "province"].includes(level), `level ${show(level)}`);
      const due = attempt(() => api.reportsDue(level, date(at(kase, "date")), region, policy));
      if (due.error) return bad.push(`reports: ${errorJson(due.error)}`);
      return compareList("expect", at(kase, "expect"), due.ok, bad, "reports");
    }
    case "consolidation": {
      const result = attempt(() => api.consolidation(at(kase, "cohort"), at(kase, "counts"), date(at(kase, "graduation")), region, policy));
      if (result.error) return bad.push(`consolidation: ${errorJson(result.error)}`);
      const got = { ...result.ok, percent: at(result.ok.rate, "percent") };
      for (const k of ["target", "meets_target"]) if (!Object.hasOwn(got, k)) got[k] = null;
      return compare("expect", at(kase, "expect"), got, bad);
    }
    default:
      return bad.push(`unknown kind '${kind}'`);
  }
}

// The corpus, read once: the .json files of tests/conformance_dropout/ in path order.
const dir = join(repoRoot, "tests", "conformance_dropout");
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const doc = JSON.parse(readFileSync(join(dir, f), "utf8"));
    assert.ok(Array.isArray(doc.cases), `${f}: a 'cases' list`);
    return { file: basename(f), cases: doc.cases };
  });

test("dropout corpus: files present, case ids unique", () => {
  assert.ok(corpus.length > 0, `no conformance files in ${dir}`);
  const ids = new Set();
  for (const { file, cases } of corpus) {
    for (const kase of cases) {
      assert.equal(typeof kase.id, "string", `${file}: a case without an id`);
      assert.ok(!ids.has(kase.id), `duplicate id ${kase.id}`);
      ids.add(kase.id);
    }
  }
});

for (const [label, api] of [
  ["pkg-node", loadNode()],
  ["pkg (web)", await loadWeb()],
]) {
  describe(`dropout corpus via ${label}`, () => {
    let passed = 0;
    const failed = [];
    for (const { file, cases } of corpus) {
      for (const kase of cases) {
        test(`${kase.id} [${file}]`, () => {
          const bad = [];
          run(api, kase, bad);
          if (bad.length === 0) passed += 1;
          else failed.push(kase.id);
          assert.deepEqual(bad, [], `${kase.id} [${file}]:\n    ${bad.join("\n    ")}`);
        });
      }
    }
    test("summary", (t) => {
      t.diagnostic(`dropout conformance (${label}): ${passed} passed, ${failed.length} failed`);
      assert.equal(failed.length, 0, `${failed.length} dropout cases failed: ${failed.join(", ")}`);
      assert.ok(passed > 0, "the corpus ran no case");
    });
  });
}
