// Runs the language-neutral finance corpus (tests/conformance_finance/*.json, see its
// README) through the JavaScript packages, with exactly the semantics of the Rust runner
// core/tests/finance_conformance.rs: the same policy loading (overlay files from the
// repository root), the same call (`input_text` as text, else `input`, null when absent),
// the same comparisons (a dotted path with `[i]` indices resolved in the answer, `#count`
// for a list's length, JSON equality; every receipt line of `expect_parameters_used` found
// among `parameters_used`; the error's kind/field/code when given as strings), the same
// mismatch messages. Every case runs through both packages.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, test } from "node:test";
import { at, errorJson, isObject, jsonEq, show } from "./corpus.mjs";
import { loadNode, loadWeb, repoRoot } from "./support.mjs";

const FUNCTIONS = {
  loan: "loanSchedule",
  compensation: "grassrootsCompensation",
  funds: "publicFunds",
  allowance: "teacherAllowances",
  care: "careSchedule",
};

function loadPolicy(api, kase) {
  let policy = api.Policy.national();
  const list = at(kase, "overlays");
  for (const path of (Array.isArray(list) ? list : []).filter((p) => typeof p === "string")) {
    // An unreadable overlay is a defect of the corpus: it fails the case loudly (Rust panics).
    const text = readFileSync(join(repoRoot, path), "utf8");
    policy = policy.withOverlay(text, path);
  }
  return policy;
}

/** The answer (a plain object) or the thrown error. */
function runCase(api, kase) {
  const policy = loadPolicy(api, kase);
  const name = FUNCTIONS[at(kase, "function")];
  // An unknown function is a defect of the corpus (Rust panics).
  if (!name) throw new Error(`unknown function ${at(kase, "function")}`);
  const text = at(kase, "input_text");
  const request = typeof text === "string" ? text : at(kase, "input");
  return api[name](request, policy);
}

/** serde_json's `Value::get` along `a.b[2].c`: undefined where the path leads nowhere. */
function lookup(value, path) {
  let current = value;
  for (const part of path.split(".")) {
    const i = part.indexOf("[");
    const key = i >= 0 ? part.slice(0, i) : part;
    const indices = i >= 0 ? part.slice(i) : "";
    if (key !== "") {
      if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
      current = current[key];
    }
    for (const chunk of indices.split("[").filter((c) => c !== "")) {
      const digits = chunk.replace(/\]+$/, "");
      // Rust parses the index as usize: digits only (a leading + too), else no match.
      if (!/^\+?\d+$/.test(digits)) return undefined;
      const index = Number(digits);
      if (!Array.isArray(current) || index >= current.length) return undefined;
      current = current[index];
    }
  }
  return current;
}

/** Rust's `{:?}` of an `Option<Value>`, enough for a message. */
const debug = (v) => (v === undefined ? "None" : `Some(${show(v)})`);

/** Compare one case; the list of mismatches (empty when it passes). */
function check(api, kase) {
  const bad = [];
  let answer;
  let error;
  try {
    answer = runCase(api, kase);
  } catch (e) {
    if (!(e instanceof Error) || typeof e.kind !== "string") throw e; // not an EduaidError: a defect
    error = e;
  }
  if (Object.hasOwn(kase, "expect_error")) {
    const expected = kase.expect_error;
    if (!error) {
      bad.push(`expected error ${show(expected)}, got an answer`);
      return bad;
    }
    for (const key of ["kind", "field", "code"]) {
      const want = at(expected, key);
      if (typeof want === "string" && want !== error[key]) {
        bad.push(`error ${key} '${error[key]}' != expected '${want}' (${error.message})`);
      }
    }
    return bad;
  }
  if (error) {
    return [`unexpected error: ${errorJson(error)}`];
  }
  const expect = at(kase, "expect");
  if (isObject(expect)) {
    for (const [key, want] of Object.entries(expect)) {
      const count = key.endsWith("#count");
      const path = count ? key.slice(0, -"#count".length) : key;
      let got = lookup(answer, path);
      if (count) got = Array.isArray(got) ? got.length : undefined;
      if (got === undefined || !jsonEq(got, want)) {
        bad.push(`${path}${count ? "#count" : ""}: got ${debug(got)}, expected ${show(want)}`);
      }
    }
  }
  const lines = at(kase, "expect_parameters_used");
  if (Array.isArray(lines)) {
    const used = Array.isArray(at(answer, "parameters_used")) ? answer.parameters_used : [];
    for (const want of lines) {
      // A receipt expectation that is not an object is a defect of the corpus (Rust panics).
      assert.ok(isObject(want), "a receipt expectation is an object");
      const found = used.some((u) => Object.entries(want).every(([k, v]) => isObject(u) && Object.hasOwn(u, k) && jsonEq(u[k], v)));
      if (!found) bad.push(`parameters_used lacks ${show(want)}`);
    }
  }
  return bad;
}

// The corpus, read once: the .json files of tests/conformance_finance/ in path order.
const dir = join(repoRoot, "tests", "conformance_finance");
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const doc = JSON.parse(readFileSync(join(dir, f), "utf8"));
    assert.ok(Array.isArray(doc.cases), `${f}: no cases`);
    return { file: basename(f), cases: doc.cases };
  });

test("finance corpus: files present, case ids unique", () => {
  assert.ok(corpus.length > 0, `no case files in ${dir}`);
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
  describe(`finance corpus via ${label}`, () => {
    let passed = 0;
    const failed = [];
    for (const { file, cases } of corpus) {
      for (const kase of cases) {
        test(`${kase.id} [${file}]`, () => {
          const bad = check(api, kase);
          if (bad.length === 0) passed += 1;
          else failed.push(kase.id);
          assert.deepEqual(bad, [], `${kase.id} [${file}]:\n    ${bad.join("\n    ")}`);
        });
      }
    }
    test("summary", (t) => {
      t.diagnostic(`finance conformance (${label}): ${passed} passed, ${failed.length} failed`);
      assert.equal(failed.length, 0, `${failed.length} finance cases failed: ${failed.join(", ")}`);
      assert.ok(passed > 0, "the corpus ran no case");
    });
  });
}
