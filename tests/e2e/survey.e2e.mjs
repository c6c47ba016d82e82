// A person answers the public IIT survey in Debian's Chromium, then an officer logs in and
// sees the round's result. Usage: node survey.e2e.mjs ITA_BINARY OUT_DIR
// Starts its own `ita serve --demo` on a fresh SQLite file and a free port; exits non-zero on
// any failed check. Screenshots land in OUT_DIR for a person to look at.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, banner, browser, close } = await start(ita, outDir, 'survey');
const iit = banner.match(/IIT (http\S+)/)[1];

try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });  // a phone
  await page.goto(iit);
  assert.match(await page.title(), /IIT/);
  // Submitting an empty form: the browser's own required-field check keeps us on the page.
  const groups = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  assert.equal(groups.length, 51, 'the 2564 IIT form has 51 answer units');
  for (const name of groups) {
    const options = page.locator(`input[type=radio][name="${name}"]`);
    await options.nth((await options.count()) - 1).check();  // the last option of each scale
  }
  await page.screenshot({ path: join(outDir, 'e2e-survey-filled.png'), fullPage: false });
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.match(await page.textContent('h1'), /ขอบคุณที่ตอบแบบสำรวจ/);
  await page.screenshot({ path: join(outDir, 'e2e-receipt.png') });

  // The officer sees 37 IIT responses now (36 from the demo + ours) and the result page.
  await page.goto(`${base}/login`);
  await page.fill('#email', 'officer@demo.openita');
  await page.fill('#password', 'demo-ita-2567');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  await page.click('text=พ.ศ. 2564');
  const progress = await page.textContent('table');
  assert.match(progress, /IIT\s*37/, progress);
  await page.click('text=ผลคะแนนและการวิเคราะห์');
  assert.match(await page.textContent('main'), /คะแนนรวม/);
  assert.ok(await page.$('.chart svg'), 'the indicator chart is shown');
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.screenshot({ path: join(outDir, 'e2e-result.png'), fullPage: true });
  console.log('e2e: 1 passed, 0 failed');
} finally {
  await close();
}
