// End to end: the checker page (wasm/www) in headless Chromium, driven by playwright-core.
// Fill the form for the interface.md student (junior middle grade 2, boarder, rural, dibao,
// as of 2024-10-01), check the amounts shown against the library, switch language, check
// that no request is made after the load event, and save screenshots to wasm/test-output/.
//
// Chromium: $CHROMIUM, else /usr/bin/chromium (wasm/scripts/test.sh installs it with apt-get).
// Skipped, with the reason, only when no Chromium is there.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { serve } from "./serve.mjs";
import { loadNode, outputDir, wasmDir } from "./support.mjs";

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(chromiumPath)
  ? false
  : `Chromium not found at ${chromiumPath} (install it: apt-get update && apt-get install -y chromium, or set CHROMIUM)`;
if (skip) console.log(`# e2e skipped: ${skip}`);

const STUDENT = { stage: "junior_middle", grade: "2", asOf: "2024-10-01" };

describe("the checker page in Chromium", { skip }, () => {
  let server;
  let context;
  let page;
  let profileDir;
  let loaded = false;
  const afterLoad = [];
  const beforeLoad = [];
  const problems = [];

  before(async () => {
    assert.ok(existsSync(join(wasmDir, "www", "pkg", "eduaid_bg.wasm")), "www/pkg is missing: run wasm/build.sh");
    const { chromium } = await import("playwright-core");
    server = await serve();
    profileDir = mkdtempSync(join(tmpdir(), "eduaid-chromium-"));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      locale: "zh-CN",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (request) => (loaded ? afterLoad : beforeLoad).push(request.url()));
    page.on("load", () => {
      loaded = true;
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await page.goto(server.url, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  const text = async (selector) => (await page.locator(selector).first().textContent())?.trim() ?? "";
  const card = (program) => `[data-program="${program}"]`;

  test("loads from its own origin only, Chinese by default", async () => {
    assert.ok(beforeLoad.length > 0);
    for (const url of beforeLoad) assert.ok(url.startsWith(server.url), `a request left the page: ${url}`);
    assert.ok(beforeLoad.some((url) => url.endsWith("/pkg/eduaid_bg.wasm")), "the .wasm was loaded");
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
    assert.equal(await text("h1"), "学生资助政策查询");
    assert.match(await page.inputValue("#as_of"), /^\d{4}-\d{2}-\d{2}$/, "as-of defaults to a date (today)");
  });

  test("the form asks only what matters for the stage", async () => {
    await page.selectOption("#stage", "undergraduate");
    assert.ok(await page.isVisible('[data-input="veteran"]'), "undergraduate: veteran is asked");
    assert.ok(await page.isHidden('[data-input="boarding"]'), "undergraduate: boarding is not asked");
    await page.selectOption("#stage", STUDENT.stage);
    assert.ok(await page.isVisible('[data-input="boarding"]'), "junior middle: boarding is asked");
    assert.ok(await page.isVisible('[data-input="household.statuses"]'));
    assert.ok(await page.isHidden('[data-input="veteran"]'), "junior middle: veteran is not asked");
    assert.ok(await page.isHidden('[data-input="awards"]'), "junior middle: awards are not asked");
    const grades = await page.locator("#grade option").count();
    assert.equal(grades, 3, "junior middle has grades 1 to 3");
  });

  test("junior middle grade 2, boarder, rural, dibao: 1500.00 a year, 750.00 a term", async () => {
    await page.fill("#as_of", STUDENT.asOf);
    await page.selectOption("#grade", STUDENT.grade);
    await page.check("#boarding");
    await page.selectOption("#hukou", "rural");
    await page.check("#status_dibao");
    const subsidy = card("compulsory_living_subsidy");
    await page.waitForSelector(subsidy);
    assert.equal(await text(`${subsidy} [data-field="annual_amount"]`), "1500.00 元");
    assert.equal(await text(`${subsidy} [data-field="school_year_total"]`), "1500.00 元");
    assert.match(await text(`${subsidy} [data-term="2024-autumn"]`), /2024年秋季学期\s*750\.00 元/);
    assert.match(await text(`${subsidy} [data-term="2025-spring"]`), /2025年春季学期\s*750\.00 元/);
    assert.equal(await text('[data-field="annual_cash_total"]'), "1500.00 元");
    assert.equal(await text('[data-field="difficulty_level"]'), "特别困难");
    assert.equal(await text(`${subsidy} [data-code="boarding"]`), "学生为寄宿生");

    // The page shows exactly what the library answers for the same student.
    const expected = loadNode().evaluate(
      { stage: "junior_middle", grade: 2, boarding: true, hukou: "rural", household: { statuses: ["dibao"] } },
      STUDENT.asOf,
      null,
      "zh",
    );
    const shown = await page.$$eval(".cards [data-program]", (cards) => cards.map((c) => c.getAttribute("data-program")));
    assert.deepEqual(shown, expected.entitlements.map((e) => e.program));
    const reasons = await page.$$eval(`${subsidy} .because li`, (items) => items.map((li) => li.textContent));
    assert.deepEqual(reasons, expected.entitlements.find((e) => e.program === "compulsory_living_subsidy").because.map((r) => r.message));

    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: join(outputDir, "checker.png"), fullPage: true });
  });

  test("bad input is shown as the library's error, naming the field", async () => {
    await page.selectOption("#school_location", "city");
    await page.fill("#school_region", "12");
    await page.waitForSelector('.error[data-field="school_region"]');
    assert.match(await text(".error"), /12/);
    await page.fill("#school_region", "");
    await page.selectOption("#school_location", "");
    await page.waitForSelector(card("compulsory_living_subsidy"));
  });

  test("switching to English keeps the answer and translates it", async () => {
    await page.click("#lang");
    await page.waitForSelector('body[data-lang="en"]');
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.equal(await text("h1"), "Student aid checker");
    const subsidy = card("compulsory_living_subsidy");
    assert.equal(await text(`${subsidy} [data-field="annual_amount"]`), "¥1500.00");
    assert.match(await text(`${subsidy} [data-term="2024-autumn"]`), /Autumn term 2024\s*¥750\.00/);
    assert.match(await text(`${subsidy} [data-term="2025-spring"]`), /Spring term 2025\s*¥750\.00/);
    assert.equal(await text(`${subsidy} [data-code="boarding"]`), "the student boards at school");
    assert.equal(await text("#lang"), "中文");
    await page.screenshot({ path: join(outputDir, "checker-en.png"), fullPage: true });
    await page.click("#lang");
    await page.waitForSelector('body[data-lang="zh"]');
    assert.equal(await text(`${subsidy} [data-code="boarding"]`), "学生为寄宿生");
  });

  test("no request was made after the load event, and nothing went wrong", () => {
    assert.deepEqual(afterLoad, [], "requests after load");
    assert.deepEqual(problems, []);
  });
});
