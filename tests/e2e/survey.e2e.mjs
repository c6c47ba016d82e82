// A person answers the public IIT survey in Debian's Chromium on a phone (390×844) and on a
// desktop (1366×768): sections and numbered questions, progress, answers kept on the device over
// a reload, Thai validation listing the unanswered questions with links (with and without
// JavaScript), the thank-you page; then an officer sees the round's result and closes the round,
// and the link shows the closed-survey page. axe-core checks every public page at both sizes and
// fails on any serious or critical WCAG 2.1 A/AA violation.
// Usage: node survey.e2e.mjs ITA_BINARY OUT_DIR — screenshots (survey-NN-*.png) land in OUT_DIR.
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import { axeCheck, axeChecked, start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, banner, browser, shot, login, close } = await start(ita, outDir, 'survey');
const iit = banner.match(/IIT (http\S+)/)[1];
const eit = banner.match(/EIT (http\S+)/)[1];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };

// Sends the form as it is, past the script's check (as a browser without JavaScript would).
const sendAsIs = () => HTMLFormElement.prototype.submit.call(document.querySelector('form.survey'));
const answered = (page) => page.textContent('#answered');
const checkedCount = (page) => page.$$eval('input[type=radio]:checked', (els) => els.length);

// Chooses the last option of every answer unit of question `n` by clicking its row.
async function answer(page, n) {
  const groups = page.locator(`#q${n} [role=radiogroup]`);
  for (let i = 0; i < await groups.count(); i++) await groups.nth(i).locator('label.opt').last().click();
}

try {
  // 1. On a phone: sections, numbered questions, an empty progress line, large one-column rows.
  const phone = await browser.newContext(PHONE);
  const page = await phone.newPage();
  await page.goto(iit);
  assert.match(await page.title(), /IIT/);
  assert.match(await page.textContent('h2'), /ส่วนที่ 1 จาก \d/);
  assert.match(await page.textContent('#q12 legend'), /ข้อ 12 จาก 30/);
  const questions = await page.$$eval('fieldset.q', (els) => els.length);
  assert.equal(questions, 30);
  assert.equal(await answered(page), 'ตอบแล้ว 0 จาก 30 ข้อ', 'the script runs under the page CSP');
  const rows = await page.$$eval('#q1 label.opt', (els) => els.map((e) => e.getBoundingClientRect())
    .map((r) => ({ x: Math.round(r.x), y: Math.round(r.y), h: r.height, w: r.width })));
  assert.ok(rows.length >= 4, 'a 4-option scale');
  assert.ok(rows.every((r) => r.h >= 44), `rows of 44 px or more: ${JSON.stringify(rows)}`);
  assert.equal(new Set(rows.map((r) => r.x)).size, 1, 'one column on a phone');
  assert.equal(new Set(rows.map((r) => r.y)).size, rows.length, 'one option a line');
  await axeCheck(page, 'the IIT form on a phone');
  await shot(page, 'iit-phone');

  // 2. Twelve questions answered by tapping their rows; a reload and reopening keep them.
  for (let n = 1; n <= 12; n++) await answer(page, n);
  assert.equal(await answered(page), 'ตอบแล้ว 12 จาก 30 ข้อ');
  const chosen = await checkedCount(page);
  await page.reload();
  assert.equal(await checkedCount(page), chosen, 'answers restored after a reload');
  assert.equal(await answered(page), 'ตอบแล้ว 12 จาก 30 ข้อ');
  await page.close();
  const again = await phone.newPage();
  await again.goto(iit);
  assert.equal(await checkedCount(again), chosen, 'answers restored when the link is opened again');

  // 3. All but question 17 answered: sending lists it in Thai with a link, and sends nothing.
  for (let n = 13; n <= 30; n++) if (n !== 17) await answer(again, n);
  await again.click('button[type=submit]');
  await again.waitForSelector('#msg:not([hidden])');
  assert.match(await again.textContent('#msg'), /ยังไม่ได้ตอบข้อ 17/);
  assert.equal(await again.evaluate(() => document.activeElement.id), 'msg', 'the focus on the summary');
  assert.ok(again.url().startsWith(iit) && !again.url().includes('thanks'), 'nothing sent');
  await axeCheck(again, 'the IIT form with the Thai list of unanswered questions (phone)');
  await shot(again, 'iit-phone-unanswered');
  await again.click('#msg a[href="#q17"]');
  assert.equal(await again.evaluate(() => document.activeElement.closest('fieldset').id), 'q17');

  // 4. Without the browser check (the form sent as is): the server lists the numbers, linking.
  const given = await checkedCount(again);
  await Promise.all([again.waitForNavigation(), again.evaluate(sendAsIs)]);
  assert.match(again.url(), /#msg$/, 'the browser lands on the summary');
  assert.match(await again.textContent('#msg'), /ยังไม่ได้ตอบข้อ 17/);
  assert.equal(await again.getAttribute('#msg a', 'href'), '#q17');
  assert.equal(await checkedCount(again), given, 'answers kept');
  await axeCheck(again, 'the form with problems from the server (phone)');
  await shot(again, 'iit-phone-server-problems');

  // 5. Question 17 answered, sent: the thank-you page, formal Thai, a BE date, no way to the login;
  // the answers kept on the device are forgotten.
  await answer(again, 17);
  assert.equal(await answered(again), 'ตอบแล้ว 30 จาก 30 ข้อ');
  await Promise.all([again.waitForURL(/\/thanks/), again.click('button[type=submit]')]);
  assert.match(await again.textContent('h1'), /ขอบคุณที่ตอบแบบสำรวจ/);
  const receipt = await again.textContent('main');
  assert.match(receipt, /วันที่ \d{1,2} \S+ 25\d\d/, receipt);
  assert.doesNotMatch(receipt, /ค่ะ|ครับ/);
  assert.equal(await again.$$eval('a[href="/"], a[href*="login"]', (as) => as.length), 0);
  assert.equal(await again.evaluate(() => localStorage.length), 0, 'kept answers forgotten');
  await axeCheck(again, 'the thank-you page (phone)');
  await shot(again, 'iit-phone-thanks');
  await again.goto(iit);
  assert.equal(await checkedCount(again), 0, 'a new form starts empty');

  // 6. Without JavaScript the form still works and the server names the questions.
  const noScript = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(eit);
  assert.equal(await plain.isVisible('#answered'), false);
  for (let n = 2; n <= 10; n++) await answer(plain, n);
  await Promise.all([plain.waitForNavigation(), plain.click('button[type=submit]')]);
  assert.match(await plain.textContent('#msg'), /ยังไม่ได้ตอบข้อ 1, (\d+, )*\d+/);
  assert.deepEqual(await plain.$$eval('#msg a', (as) => as.slice(0, 2).map((a) => a.getAttribute('href'))), ['#q1', '#q11']);
  await shot(plain, 'eit-phone-no-script-problems');
  await noScript.close();

  // 7. On a desktop: the forms and the thank-you page; the 4-option scale on one line.
  const desktop = await browser.newContext(DESKTOP);
  const wide = await desktop.newPage();
  await wide.goto(iit);
  const line = await wide.locator('#q1 [role=radiogroup]').first().locator('label.opt')
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().y)));
  assert.ok(line.length >= 4, 'a 4-option scale');
  assert.equal(new Set(line).size, 1, 'the options of a scale on one line on a desktop');
  await axeCheck(wide, 'the IIT form on a desktop');
  await shot(wide, 'iit-desktop');
  await wide.goto(eit);
  await axeCheck(wide, 'the EIT form on a desktop');
  await shot(wide, 'eit-desktop');
  await wide.click('button[type=submit]');
  await wide.waitForSelector('#msg:not([hidden])');
  await axeCheck(wide, 'the EIT form with the Thai list of unanswered questions (desktop)');
  await Promise.all([wide.waitForNavigation(), wide.evaluate(sendAsIs)]);
  await axeCheck(wide, 'the EIT form with problems from the server (desktop)');
  await shot(wide, 'eit-desktop-server-problems');
  const eitTotal = await wide.$$eval('fieldset.q', (els) => els.length);
  for (let n = 1; n <= eitTotal; n++) await answer(wide, n);
  await Promise.all([wide.waitForURL(/\/thanks/), wide.click('button[type=submit]')]);
  await axeCheck(wide, 'the thank-you page (desktop)');
  await shot(wide, 'eit-desktop-thanks');
  const phoneEit = await phone.newPage();
  await phoneEit.goto(eit);
  await axeCheck(phoneEit, 'the EIT form on a phone');
  await shot(phoneEit, 'eit-phone');

  // 8. The officer sees 37 IIT responses now (36 from the demo + ours) and the result page.
  const officerContext = await browser.newContext(DESKTOP);
  const officer = await login(officerContext, 'officer@demo.openita');
  await officer.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  await officer.click('text=พ.ศ. 2564');
  const roundUrl = officer.url();
  const progress = await officer.textContent('table');
  assert.match(progress, /IIT\s*37/, progress);
  await officer.click('text=ผลคะแนนและการวิเคราะห์');
  assert.match(await officer.textContent('main'), /คะแนนรวม/);
  assert.ok(await officer.$('.chart svg'), 'the indicator chart is shown');
  await shot(officer, 'result');

  // 9. The round closed: the link shows the closed-survey page (no form), at both sizes.
  await officer.goto(roundUrl);
  await officer.check(`form[action$="/close"] input[name=confirm]`);
  await Promise.all([officer.waitForNavigation(), officer.click(`form[action$="/close"] button`)]);
  for (const [context, size] of [[phone, 'phone'], [desktop, 'desktop']]) {
    const closed = await context.newPage();
    const res = await closed.goto(iit);
    assert.equal(res.status(), 409);
    assert.match(await closed.textContent('h1'), /ปิดรับคำตอบแล้ว/);
    assert.equal(await closed.$$eval('form', (f) => f.length), 0);
    await axeCheck(closed, `the closed-survey page (${size})`);
    await shot(closed, `closed-${size}`);
  }
  console.log(`e2e: survey passed (${axeChecked()} pages checked with axe-core)`);
} finally {
  await close();
}
