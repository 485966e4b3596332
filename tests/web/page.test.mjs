// The caseworker's page of `pol serve`, in a real headless Chromium: a
// Xuchang case filled in by hand, its amount, an explanation line, a
// what-if, an example case, the keyboard, and a screenshot.
//
// Run by tests/serve.rs as `node tests/web/page.test.mjs`, with POL_URL
// (the server), CHROMIUM (the browser) and SCREENSHOT (where to keep one).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const url = process.env.POL_URL;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
  const problems = [];
  page.on("pageerror", e => problems.push(String(e)));
  // A 4xx answer the page shows (the wrong value below) is no problem of the page.
  page.on("console", m => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  page.on("response", r => { if (r.status() === 404) problems.push("404 " + r.url()); });
  await page.goto(url);
  await page.waitForSelector('details[data-input="hire"]');
  assert.equal(await page.textContent("#title"), "许昌市关于进一步做好稳就业工作的实施意见");

  // The case of a graduate hired by a small enterprise, typed in.
  await page.click('details[data-input="employer"] > summary');
  await page.selectOption("#f-employer_size", "small");
  await page.fill("#f-employer_employees", "35");
  await page.click('details[data-input="hire"] > summary');
  await page.fill("#f-hire_hired_on", "2020-03-02");
  await page.selectOption("#f-hire_registered_unemployed", "false");
  await page.selectOption("#f-hire_graduate", "true");
  await page.fill("#f-hire_left_school_on", "2019-07-01");
  await page.selectOption("#f-hire_employed_since_leaving", "false");
  await page.fill("#f-hire_contract_term", "2 years");
  await page.selectOption("#f-hire_social_insurance_paid", "true");
  await page.fill("#f-hire_employer_si_monthly", "812.40");
  await page.fill("#f-hire_si_months", "14");
  await page.fill("#today", "2020-06-01");
  await page.click("#evaluate");
  const amount = page.locator('td[data-result="hiring_subsidy.amount"]');
  await amount.waitFor();
  assert.equal((await amount.textContent()).trim(), "1000.00");
  assert.equal((await page.textContent('td[data-result="hiring_subsidy.social_insurance"]')).trim(), "9748.80");
  // The clauses that apply come first.
  const first = await page.locator("#result-table tbody tr").first().getAttribute("class");
  assert.equal(first, "applies");

  // Why: the explanation trees of the amount and of the eligibility.
  await page.locator('tr:has(td[data-result="hiring_subsidy.amount"]) button').click();
  await page.waitForSelector("#why .tree li");
  let why = await page.textContent("#why");
  assert.match(why, /一次性吸纳就业补贴/);
  assert.match(why, /✓ hire\.contract_term >= 1 year/);
  assert.match(why, /= 1000 yuan/);
  await page.locator('tr:has(td[data-result="hiring_subsidy.eligible"]) button').click();
  await page.waitForFunction(() => document.querySelector("#why h3")?.textContent.includes("eligible"));
  why = await page.textContent("#why");
  assert.match(why, /employer\.size（企业规模） = small/);
  // The server's sentences, in the language it was started in.
  if (process.env.POL_LANG === "zh") {
    assert.match(why, /有效期自 2020-01-01 至 2020-12-31/);
    assert.doesNotMatch(why, /in force from/);
  } else {
    assert.match(why, /in force from 2020-01-01 to 2020-12-31/);
  }

  // What if the contract were six months?
  await page.fill("#f-hire_contract_term", "6 months");
  await page.click("#whatif");
  const change = page.locator('#changes li[data-result="hiring_subsidy.amount"]');
  await change.waitFor();
  assert.equal((await change.textContent()).trim(), "hiring_subsidy.amount: 1000.00 → 0.00");

  // A wrong value: the message names the fact, and the field is marked.
  await page.fill("#f-hire_employer_si_monthly", "lots");
  await page.click("#evaluate");
  await page.waitForSelector('#f-hire_employer_si_monthly[aria-invalid="true"]');
  assert.match(await page.textContent("#status"), /hire\.employer_si_monthly/);

  // An example case of the package.
  await page.selectOption("#examples", "six-month-contract");
  await page.waitForFunction(() => document.querySelector("#f-hire_contract_term").value === "6 months");
  await page.waitForSelector('td[data-result="hiring_subsidy.amount"]');

  // The keyboard alone: Tab to a group, Enter opens it.
  await page.focus('details[data-input="supplier"] > summary');
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute('details[data-input="supplier"]', "open"), "");

  if (process.env.SCREENSHOT) {
    await page.selectOption("#examples", "sme-hires-graduate-and-unemployed");
    await page.waitForSelector('td[data-result="hiring_subsidies.amount"]');
    await page.locator('tr:has(td[data-result="hiring_subsidies.amount"]) button').click();
    await page.waitForSelector("#why .tree li");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  }
  assert.deepEqual(problems, []);
  console.log("ok: the page evaluated, explained and compared a Xuchang case");
} finally {
  await browser.close();
}
