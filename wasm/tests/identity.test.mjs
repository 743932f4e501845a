// Cross-surface identity (issue 8): the wasm package gives byte for byte the JSON the Rust
// library writes, on the sample of tests/identity/ (generated profiles, about three in forty
// invalid on purpose). core/tests/identity.rs writes the sample and fails when it is stale;
// set EDUAID_IDENTITY_DIR to a full 100 000-case corpus for the long check.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadNode, repoRoot } from "./support.mjs";

const api = loadNode();
const dir = process.env.EDUAID_IDENTITY_DIR || join(repoRoot, "tests", "identity");

// Error::to_json inside {"error": ...}, as serde_json writes it (keys sorted).
const envelope = (e) =>
  JSON.stringify({ error: { code: e.code, field: e.field, kind: e.kind, message: e.message } });

test("identity with Rust, byte for byte", (t) => {
  const lines = (f) => readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== "");
  const cases = lines("cases.jsonl").map((l) => JSON.parse(l));
  const expected = lines("expected.jsonl");
  assert.equal(cases.length, expected.length);
  const policies = new Map();
  const policyFor = (region) => {
    if (!policies.has(region)) {
      const file = `core/policy/regions/${region}.json`;
      policies.set(
        region,
        region ? api.Policy.national().withOverlay(readFileSync(join(repoRoot, file), "utf8"), file) : api.Policy.national(),
      );
    }
    return policies.get(region);
  };
  const differ = [];
  cases.forEach((c, i) => {
    let got;
    try {
      got = api.evaluateJson(c.profile_text, c.as_of, policyFor(c.region ?? null), c.lang);
    } catch (e) {
      got = envelope(e);
    }
    if (got !== expected[i]) differ.push(c.id);
  });
  t.diagnostic(`${cases.length - differ.length} of ${cases.length} identical`);
  assert.deepEqual(differ, [], `cases differing from Rust: ${differ.slice(0, 10).join(", ")}`);
});
