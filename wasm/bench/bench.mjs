// Throughput of the Node package (wasm/pkg-node): evaluations per second over generated
// profiles. A benchmark to read, not a timed test: nothing here fails on speed.
//
//   node bench/bench.mjs [--n 20000] [--as-of 2024-10-01] [--repeats 5] [--batch 1000] [--lang en]
//
// Profiles are drawn from a seeded generator with roughly the mix of
// ../shared/bench-peers/gen_roster.py (stages by enrolment share, 60% rural, about 12% in a
// key group, some assessed levels, boarders), so runs are comparable from machine to
// machine. Three ways in are timed, each the median of --repeats runs after a warm-up:
//   evaluate       one JS object in, one plain JS object out (JSON.parse of the result)
//   evaluateJson   one JS object in, the JSON text out (no result object built)
//   evaluateMany   --batch profiles per call, an array of envelopes out

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = fileURLToPath(new URL(".", import.meta.url));
const pkg = join(here, "..", "pkg-node");
const api = createRequire(import.meta.url)(join(pkg, "eduaid.js"));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const N = Number(option("n", 20000));
const AS_OF = option("as-of", "2024-10-01");
const REPEATS = Number(option("repeats", 5));
const BATCH = Number(option("batch", 1000));
const LANG = option("lang", "en");

// ---- A seeded generator (mulberry32): the same profiles on every run --------------------------

function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function profiles(n, seed = 2024) {
  const random = generator(seed);
  const words = api.vocabulary();
  const pick = (pairs) => {
    let r = random() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [value, weight] of pairs) if ((r -= weight) < 0) return value;
    return pairs[pairs.length - 1][0];
  };
  const stageShare = [
    ["preschool", 15], ["primary", 38], ["junior_middle", 17], ["general_high", 9],
    ["secondary_vocational", 5], ["higher_vocational", 6], ["undergraduate", 8], ["masters", 1.5], ["doctoral", 0.5],
  ];
  const keyStatus = [
    ["lifted_out_of_poverty", 48], ["dibao", 20], ["monitored_unstable", 7], ["monitored_marginal", 7],
    ["monitored_sudden_hardship", 4], ["tekun", 4], ["orphan", 3], ["de_facto_unsupported", 3], ["martyr_child", 4],
  ];
  const out = [];
  for (let i = 0; i < n; i++) {
    const stage = pick(stageShare);
    const rural = random() < 0.6;
    const statuses = [];
    if (random() < (rural ? 0.15 : 0.055)) {
      statuses.push(pick(keyStatus));
      if (random() < 0.25) {
        const second = pick(keyStatus);
        if (!statuses.includes(second)) statuses.push(second);
      }
    }
    const p = {
      student_id: `S-${String(i).padStart(7, "0")}`,
      stage,
      grade: 1 + Math.floor(random() * words.max_grade[stage]),
      hukou: rural ? "rural" : "urban",
      boarding: random() < (stage === "junior_middle" ? 0.5 : stage === "primary" ? 0.15 : 0.7),
      household: { statuses, monitoring_risk_removed: statuses.some((s) => s.startsWith("monitored_")) && random() < 0.3 },
    };
    if (random() < 0.08) p.difficulty_level = pick([["especially", 1], ["relatively", 2], ["general", 3]]);
    if (random() < 0.01) p.disability_grade = 1 + Math.floor(random() * 4);
    if (["secondary_vocational", "higher_vocational", "undergraduate"].includes(stage) && random() < 0.08) {
      p.major = { agriculture_related: true };
    }
    if (["primary", "junior_middle"].includes(stage) && rural && random() < 0.3) p.nutrition_pilot = "national";
    out.push(p);
  }
  return out;
}

// ---- Timing -------------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(run) {
  run(); // warm-up (JIT, the policy's lazy parse)
  const seconds = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint();
    run();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(seconds);
}

const roster = profiles(N);
const policy = api.Policy.national();
let errors = 0;
for (const item of api.evaluateMany(roster, AS_OF, policy, LANG)) if ("error" in item) errors++;

const results = [
  ["evaluate", () => { for (const p of roster) api.evaluate(p, AS_OF, policy, LANG); }],
  ["evaluateJson", () => { for (const p of roster) api.evaluateJson(p, AS_OF, policy, LANG); }],
  [`evaluateMany (batches of ${BATCH})`, () => {
    for (let i = 0; i < roster.length; i += BATCH) api.evaluateMany(roster.slice(i, i + BATCH), AS_OF, policy, LANG);
  }],
].map(([name, run]) => [name, N / time(run)]);

const wasm = readFileSync(join(pkg, "eduaid_bg.wasm"));
const fmt = (x) => Math.round(x).toLocaleString("en-US");
console.log(`eduaid ${api.version()} (wasm, Node ${process.version}): ${fmt(N)} generated profiles as of ${AS_OF}, lang ${LANG}, median of ${REPEATS}`);
console.log(`  ${errors} of them rejected as invalid input (expected 0)`);
for (const [name, rate] of results) console.log(`  ${name.padEnd(32)} ${fmt(rate).padStart(9)} evaluations/s`);
console.log(`  .wasm: ${fmt(wasm.length)} bytes raw, ${fmt(gzipSync(wasm, { level: 9 }).length)} bytes gzipped`);
