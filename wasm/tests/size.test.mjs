// Size of the .wasm both packages ship, raw and gzipped, against the budget
// (≤ 300 KB gzipped, KB = 1024 bytes). Reported as diagnostics in the test output.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { wasmDir } from "./support.mjs";

const BUDGET_GZIP = 300 * 1024;

for (const dir of ["pkg", "pkg-node"]) {
  test(`${dir}/eduaid_bg.wasm fits the budget`, (t) => {
    const bytes = readFileSync(join(wasmDir, dir, "eduaid_bg.wasm"));
    const gzipped = gzipSync(bytes, { level: 9 }).length;
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    t.diagnostic(`${dir}/eduaid_bg.wasm: ${bytes.length} bytes raw (${kb(bytes.length)}), ${gzipped} bytes gzipped (${kb(gzipped)}); budget ${kb(BUDGET_GZIP)} gzipped`);
    assert.ok(gzipped <= BUDGET_GZIP, `${kb(gzipped)} gzipped is over the ${kb(BUDGET_GZIP)} budget`);
  });
}
