// A whole assessment round in Debian's Chromium: an officer logs in and creates a round; a
// staff member answers the IIT on a phone; a citizen answers the EIT; the officer enters the
// OIT URLs; an assessor reviews them; the officer closes the round and downloads the measures
// document as PDF; then edits the measures plan on the page at phone and desktop widths.
// Usage: node full_round.e2e.mjs ITA_BINARY OUT_DIR — a screenshot of every step lands in OUT_DIR.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { axeCheck, start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, browser, shot, steps, login, close } = await start(ita, outDir, 'round');

// Picks the last option of every question of a survey page and submits it.
async function answerSurvey(page, expectedUnits) {
  const groups = await page.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  assert.equal(groups.length, expectedUnits);
  for (const name of groups) {
    const options = page.locator(`input[type=radio][name="${name}"]`);
    await options.nth((await options.count()) - 1).check();
  }
}

try {
  // 1. The officer logs in and creates a round for FY2564.
  const officerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const officer = await login(officerContext, 'officer@demo.openita');
  await officer.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  await shot(officer, 'officer-agency');
  await officer.selectOption('#edition', '2564');
  await officer.fill('#staff_count', '25');
  await officer.fill('#service_users', '300');
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/rounds"] button[type=submit]')]);
  const roundPath = new URL(officer.url()).pathname;
  assert.match(roundPath, /^\/rounds\/\d+$/, officer.url());
  await shot(officer, 'officer-new-round');
  const links = await officer.$$eval('a[href*="/s/"]', (as) => as.map((a) => a.href));
  assert.equal(links.length, 2, 'an IIT and an EIT link');

  // 2. A staff member answers the IIT on a phone-sized screen.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const staff = await phone.newPage();
  await staff.goto(links[0]);
  assert.match(await staff.title(), /IIT/);
  await answerSurvey(staff, 51);
  await shot(staff, 'staff-iit-phone');
  await Promise.all([staff.waitForNavigation(), staff.click('button[type=submit]')]);
  assert.match(await staff.textContent('h1'), /ขอบคุณที่ตอบแบบสำรวจ/);
  await shot(staff, 'staff-iit-receipt');

  // 3. A citizen answers the EIT.
  const citizenContext = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const citizen = await citizenContext.newPage();
  await citizen.goto(links[1]);
  assert.match(await citizen.title(), /EIT/);
  await answerSurvey(citizen, 19);
  await shot(citizen, 'citizen-eit');
  await Promise.all([citizen.waitForNavigation(), citizen.click('button[type=submit]')]);
  assert.match(await citizen.textContent('h1'), /ขอบคุณที่ตอบแบบสำรวจ/);

  // 4. The officer enters a URL for every OIT item.
  await officer.goto(`${base}${roundPath}/oit`);
  const items = await officer.$$eval('tr[id^="O"]', (rows) => rows.map((r) => r.id));
  assert.equal(items.length, 43);
  for (const item of items) {
    await officer.fill(`tr#${item} textarea[name=urls]`, `https://www.maesaimittraphap.go.th/ita/${item.toLowerCase()}`);
    await Promise.all([officer.waitForNavigation(), officer.click(`tr#${item} form[action$="/oit/${item}"] button`)]);
  }
  await shot(officer, 'officer-oit-submitted');

  // 5. An assessor reviews every item: all pass but O31.
  const assessorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const assessor = await login(assessorContext, 'assessor@demo.openita');
  await assessor.goto(`${base}${roundPath}/oit`);
  for (const item of items) {
    // No verdict is chosen in advance; a fail needs its reason in the comment.
    await assessor.check(`tr#${item} input[name=verdict][value=${item === 'O31' ? 'fail' : 'pass'}]`);
    await assessor.fill(`tr#${item} input[name=comment]`, item === 'O31' ? 'ไม่พบข้อมูลในลิงก์' : 'ครบถ้วน');
    await Promise.all([assessor.waitForNavigation(), assessor.click(`tr#${item} form[action$="/review"] button`)]);
  }
  assert.match(await assessor.textContent('tr#O31'), /ไม่ผ่าน/);
  await shot(assessor, 'assessor-reviewed');

  // 6. While the round is open, one respondent per survey releases no figures (README, "No
  // differencing"); the officer closes the round, then reads the result and downloads the
  // measures document as PDF.
  await officer.goto(`${base}${roundPath}/result`);
  assert.match(await officer.textContent('main'), /จะแสดงผลเบื้องต้นเมื่อมีผู้ตอบ/);
  await officer.goto(`${base}${roundPath}`);
  // Closing asks for a tick first (only an administrator can open the round again): the browser
  // keeps the form until it is given.
  await officer.click(`form[action$="/close"] button`);
  assert.match(await officer.textContent('#round-state'), /เปิดรับคำตอบ/);
  await officer.check(`form[action$="/close"] input[name=confirm]`);
  await Promise.all([officer.waitForNavigation(), officer.click(`form[action$="/close"] button`)]);
  assert.match(await officer.textContent('#round-state'), /ปิดแล้ว/);
  await shot(officer, 'officer-closed');
  await officer.goto(`${base}${roundPath}/result`);
  assert.match(await officer.textContent('main'), /คะแนนรวม/);
  await shot(officer, 'officer-result');
  const pdfHref = await officer.getAttribute('a[href$="measures.pdf"]', 'href');
  const pdf = await officerContext.request.get(`${base}${pdfHref}`);
  assert.equal(pdf.status(), 200);
  const bytes = await pdf.body();
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  const pdfPath = join(outDir, 'round-measures.pdf');
  writeFileSync(pdfPath, bytes);
  const text = execFileSync('pdftotext', [pdfPath, '-']).toString().replace(/\s+/g, '');
  assert.ok(text.includes('เทศบาลตำบลแม่สายมิตรภาพ'), 'the agency is named in the PDF');
  assert.ok(text.includes('มาตรการส่งเสริมคุณธรรมและความโปร่งใส'), 'the document title');

  // 7. The officer makes the measures plan, then edits a measure and adds one through the page's
  // forms (Buddhist Era dates, no script), on a phone and on a desktop screen.
  await officer.goto(`${base}${roundPath}/measures`);
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/measures/init"] button')]);
  assert.match(await officer.textContent('body'), /จัดทำแผนมาตรการจากผลการประเมินแล้ว/);
  let added = 0;
  for (const [width, height] of [[390, 844], [1366, 900]]) {
    await officer.setViewportSize({ width, height });
    const first = officer.locator('table.measures tr[id^="m-"]').first();
    await first.locator('summary', { hasText: 'แก้ไขมาตรการ' }).click();
    await first.locator('input[name=title]').fill(`มาตรการที่แก้ไข ${width}`);
    await first.locator('input[name=due]').fill('31/03/2565');
    await shot(officer, `officer-measure-edit-${width}`);
    await Promise.all([officer.waitForNavigation(), first.locator('form[action$="/edit"] button').click()]);
    assert.match(await officer.textContent('body'), /บันทึกการแก้ไขมาตรการแล้ว/);
    assert.match(await first.textContent(), new RegExp(`มาตรการที่แก้ไข ${width}`));
    assert.match(await first.textContent(), /ภายใน 31 มีนาคม 2565/);

    await officer.click('#new-measure summary');
    await officer.fill('#title-new', `มาตรการเพิ่มใหม่ ${width}`);
    await officer.fill('#steps-new', 'ประชุมชี้แจง\nสรุปผล');
    await officer.fill('#responsible-new', 'สำนักปลัด');
    await officer.check('#new-measure input[name=indicator-1]');
    await shot(officer, `officer-measure-add-${width}`);
    await Promise.all([officer.waitForNavigation(), officer.click('#new-measure button[type=submit]')]);
    assert.match(await officer.textContent('body'), /เพิ่มมาตรการแล้ว/);
    added += 1;
    assert.match(await officer.textContent(`tr#m-m-${added}`), new RegExp(`มาตรการเพิ่มใหม่ ${width}`));
    await shot(officer, `officer-measures-${width}`);
    await axeCheck(officer, `the measures page at ${width} px`);
  }

  console.log(`e2e full round: ${items.length} OIT items, ${steps()} screenshots in ${outDir}`);
  console.log('e2e: 1 passed, 0 failed');
} finally {
  await close();
}
