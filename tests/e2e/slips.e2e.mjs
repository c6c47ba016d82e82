// Access-code slips printed by Debian's Chromium: an officer creates a round, issues 30 codes
// with the explicit form, prints the slips page to PDF (A4) and the PDF is checked with poppler:
// A4 pages, every code and the survey URL whole on every slip, no slip split across two pages;
// a reload of the slips page issues no new batch.
// Usage: node slips.e2e.mjs ITA_BINARY OUT_DIR
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { browser, shot, steps, login, close } = await start(ita, outDir, 'slips');
const count = 30;

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const officer = await login(context, 'officer@demo.openita');
  await officer.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  await officer.selectOption('#edition', '2564');
  await officer.fill('#staff_count', '40');
  await officer.fill('#service_users', '300');
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/rounds"] button[type=submit]')]);
  assert.match(await officer.textContent('[role=status]'), /สร้างรอบการประเมินแล้ว/);
  const before = await officer.textContent('form[action$="/codes"]');

  await officer.fill('#count', String(count));
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/codes"] button[type=submit]')]);
  const codes = await officer.$$eval('.slip-code', (els) => els.map((e) => e.textContent));
  const urls = await officer.$$eval('.slip-url', (els) => els.map((e) => e.textContent));
  assert.equal(codes.length, count);
  assert.equal(new Set(codes).size, count, 'every code differs');
  assert.equal(new Set(urls).size, 1, 'one survey URL');
  assert.match(urls[0], /^http:\/\/127\.0\.0\.1:\d+\/s\/[0-9a-f]+$/);
  assert.equal(await officer.locator('.slip svg use').count(), count, 'a QR code on every slip');
  await shot(officer, 'slips-screen');

  // As printed: nothing of a slip's URL runs out of its slip.
  await officer.emulateMedia({ media: 'print' });
  const overflowing = await officer.$$eval('.slip', (slips) => slips.filter((s) => {
    const box = s.getBoundingClientRect();
    return s.scrollWidth > s.clientWidth + 1 ||
      [...s.querySelectorAll('.slip-url, .slip-code')].some((e) => e.getBoundingClientRect().right > box.right + 0.5);
  }).length);
  assert.equal(overflowing, 0, 'no slip overflows when printed');
  const pdfPath = join(outDir, 'slips.pdf');
  await officer.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });

  const info = execFileSync('pdfinfo', [pdfPath]).toString();
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  assert.match(info, /Page size:\s+[\d.]+ x [\d.]+ pts \(A4\)/, info);
  assert.ok(pages >= 2, `${count} slips take more than one page (${pages})`);
  let seen = 0;
  for (let p = 1; p <= pages; p++) {
    const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdfPath, '-']).toString();
    const flat = text.replace(/\s+/g, '');
    const onPage = codes.filter((c) => flat.includes(c));
    const urlCount = flat.split(urls[0]).length - 1;
    const labels = flat.split('รหัสเข้าตอบ:').length - 1;
    // A slip split over two pages would leave its URL or its code on the other page.
    assert.equal(urlCount, onPage.length, `page ${p}: one whole URL per code`);
    assert.equal(labels, onPage.length, `page ${p}: one slip per code`);
    seen += onPage.length;
  }
  assert.equal(seen, count, 'every code printed once');

  // A reload sends the form again: the round page says the batch was issued, and no new codes.
  await officer.emulateMedia({ media: 'screen' });
  await officer.reload();
  assert.match(await officer.textContent('[role=alert]'), /ใบรหัสชุดนี้ออกไปแล้ว/);
  assert.equal(await officer.locator('.slip-code').count(), 0);
  const after = await officer.textContent('form[action$="/codes"]');
  assert.match(before, /ออกแล้ว 0 รหัส/);
  assert.match(after, new RegExp(`ออกแล้ว ${count} รหัส`));
  await shot(officer, 'slips-reloaded');
  console.log(`e2e slips: ${count} codes on ${pages} A4 pages, ${steps()} screenshots in ${outDir}`);
  console.log('e2e: 1 passed, 0 failed');
} finally {
  await close();
}
