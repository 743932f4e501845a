// The TypeScript declarations are held to real calls: tsc type-checks tests/typed/check.ts
// against the generated pkg-node/eduaid.d.ts (with the hand-written data shapes of
// types/eduaid.d.ts spliced in) and the page script www/app.js against pkg/eduaid.d.ts;
// then the emitted JavaScript of check.ts runs against the package.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "node:test";
import { outputDir, wasmDir } from "./support.mjs";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

function run(args) {
  try {
    return execFileSync(process.execPath, args, { cwd: wasmDir, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`${args.join(" ")} failed:\n${e.stdout}${e.stderr}`);
  }
}

test("tsc accepts the typed program and rejects its deliberate mistakes", () => {
  run([tsc, "-p", "tests/tsconfig.json"]);
});

test("the typed program runs against the package", () => {
  const out = run([join(outputDir, "typed", "check.js")]);
  assert.match(out, /typed check: ok/);
});

test("tsc accepts the checker page script (checkJs) against the web package", () => {
  run([tsc, "-p", "tests/tsconfig.www.json"]);
});
