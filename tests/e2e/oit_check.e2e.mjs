// The OIT readiness check in Debian's Chromium (issue #15): a fixture website on loopback serves
// one kind of evidence per item (a good page, a page with the year in Thai digits, 404, 500, a
// redirect loop, a 50 MB file, a page that never finishes, a PDF of the previous fiscal year —
// printed by Chromium itself —, a page on another host, an empty page). The officer gives the
// agency's website, enters the URLs on the OIT page, presses the check button, and reads each
// item's verdict and reason there and on the report page. `ita serve` runs with
// --allow-loopback-evidence, the switch that lets a test reach loopback (without it such URLs
// are refused unfetched: tests/net, tests/web/oit_check_test.cpp).
// Usage: node oit_check.e2e.mjs ITA_BINARY OUT_DIR
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { axeCheck, start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const edition = JSON.parse(readFileSync(join(here, '..', '..', 'editions', '2567.json'), 'utf8'));
const keywordsOf = (code) => edition.oit.items.find((i) => i.code === code).keywords_th ?? [];
const filler = 'หน่วยงานเผยแพร่ข้อมูลนี้ต่อสาธารณะเพื่อความโปร่งใส ประชาชนตรวจสอบได้ '.repeat(8);
const html = (body) => `<!doctype html><html lang="th"><meta charset="utf-8"><body>${body}</body></html>`;

// The fixture website. Every response is built per request; the stalled ones are kept to end.
const stalled = [];
let pdf = Buffer.alloc(0);
const site = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const item = path.split('/')[1] ?? '';
  const page = (status, type, body) => { res.writeHead(status, { 'Content-Type': type }); res.end(body); };
  switch (path) {
    case '/O1/good':
      return page(200, 'text/html; charset=utf-8', html(`<h1>${keywordsOf('O1').join(' ')}</h1><p>ประจำปีงบประมาณ พ.ศ. 2567</p><p>${filler}</p>`));
    case '/O2/thai-digits':
      return page(200, 'text/html; charset=utf-8', html(`<h1>${keywordsOf('O2').join(' ')}</h1><p>ข้อมูล ณ วันที่ ๑๕ มกราคม ๒๕๖๗</p><p>${filler}</p>`));
    case '/O3/missing': return page(404, 'text/html', html('ไม่พบหน้า'));
    case '/O4/broken': return page(500, 'text/html', html('เกิดข้อผิดพลาด'));
    case '/O5/loop-a': res.writeHead(302, { Location: '/O5/loop-b' }); return res.end();
    case '/O5/loop-b': res.writeHead(302, { Location: '/O5/loop-a' }); return res.end();
    case '/O6/big': {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(50 << 20) });
      const chunk = Buffer.alloc(1 << 20, 0x41);
      let sent = 0;
      const more = () => { while (sent < 50 && res.write(chunk)) sent++; if (sent >= 50) res.end(); };
      res.on('drain', () => { sent++; more(); });
      res.on('error', () => {});
      return more();
    }
    case '/O7/never':
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.write(html('<p>กำลังโหลด'));
      stalled.push(res);
      return undefined;
    case '/O8/report.pdf': return page(200, 'application/pdf', pdf);
    case '/O10/empty': return page(200, 'text/html', html(''));
    default:
      return page(404, 'text/html', html(`no ${item}`));
  }
});
await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
const sitePort = site.address().port;
const own = `http://127.0.0.1:${sitePort}`;
// Another host name for the same server: not the agency's website.
const other = `http://localhost:${sitePort}`;

const evidence = {
  O1: `${own}/O1/good`, O2: `${own}/O2/thai-digits`, O3: `${own}/O3/missing`, O4: `${own}/O4/broken`,
  O5: `${own}/O5/loop-a`, O6: `${own}/O6/big`, O7: `${own}/O7/never`, O8: `${own}/O8/report.pdf`,
  O9: `${other}/O1/good`, O10: `${own}/O10/empty`,
};
const expected = {
  O1: 'likely_fine', O2: 'likely_fine', O3: 'error_status', O4: 'error_status', O5: 'unreachable',
  O6: 'too_large', O7: 'unreachable', O8: 'before_fiscal_year', O9: 'outside_domain',
  O10: 'too_little_content', O11: 'no_evidence',
};

const { base, browser, shot, steps, login, close } = await start(ita, outDir, 'oit-check',
  ['--allow-loopback-evidence', '--evidence-timeout', '4']);
try {
  // The previous fiscal year's report as a real PDF, printed by Chromium.
  const printer = await browser.newPage();
  await printer.setContent(html(`<h1>${keywordsOf('O8').join(' ')}</h1><p>ประจำปีงบประมาณ พ.ศ. 2566</p><p>ณ วันที่ 30 กันยายน 2566</p><p>${filler}</p>`));
  pdf = await printer.pdf({ format: 'A4' });
  await printer.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const officer = await login(context, 'officer@demo.openita');
  await officer.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  const agencyPath = new URL(officer.url()).pathname;

  // 1. The agency's website, from which "outside the agency's website" is judged.
  await officer.fill('input[name=website]', `${own}/`);
  await Promise.all([officer.waitForNavigation(), officer.click('form:has(input[name=website]) button')]);
  assert.match(await officer.textContent('[role=status]'), /เว็บไซต์/);

  // 2. A practice round on the FY2567 edition, and the evidence URLs.
  await officer.goto(`${base}${agencyPath}`);
  await officer.selectOption('#edition', '2567');
  await officer.fill('#staff_count', '25');
  await officer.fill('#service_users', '300');
  await officer.check('input[name=practice]');
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/rounds"] button[type=submit]')]);
  const roundPath = new URL(officer.url()).pathname;
  assert.match(roundPath, /^\/rounds\/\d+$/, officer.url());
  await officer.goto(`${base}${roundPath}/oit`);
  for (const [item, url] of Object.entries(evidence)) {
    await officer.fill(`tr#${item} textarea[name=urls]`, url);
    await Promise.all([officer.waitForNavigation(), officer.click(`tr#${item} form[action$="/oit/${item}"] button`)]);
  }
  assert.match(await officer.textContent('#readiness'), /ยังไม่เคยตรวจ/);

  // 3. The check, from the button; the page says it runs, then (reloaded) shows the outcome.
  const started = Date.now();
  await Promise.all([officer.waitForNavigation(), officer.click('#readiness form button')]);
  assert.match(await officer.textContent('[role=status]'), /เริ่มตรวจความพร้อม/);
  await shot(officer, 'check-started');
  while (!/น่าจะผ่านเกณฑ์ \d+ จาก/.test(await officer.textContent('#readiness'))) {
    assert.ok(Date.now() - started < 60000, 'the check finishes within a minute');
    await new Promise((r) => setTimeout(r, 1000));
    await officer.reload();
  }
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 30, `the check of 43 items with a stalled page took ${seconds} s`);
  for (const [item, verdict] of Object.entries(expected)) {
    const box = officer.locator(`tr#${item} .readiness`);
    assert.equal(await box.count(), 1, `a readiness result on ${item}`);
    assert.match(await box.getAttribute('class'), new RegExp(`readiness-${verdict}\\b`), `${item}: ${await box.textContent()}`);
    assert.ok((await box.locator('.muted').textContent()).trim().length > 10, `${item} has a reason`);
  }
  assert.match(await officer.textContent('tr#O1 .readiness'), /น่าจะผ่านเกณฑ์/);
  assert.match(await officer.textContent('tr#O8 .readiness'), /2566/);
  assert.match(await officer.textContent('#readiness'), /น่าจะผ่านเกณฑ์ 2 จาก 43 ข้อ/);
  await axeCheck(officer, 'the OIT page with a check');
  await shot(officer, 'check-on-oit-page');

  // 4. The report page: every item, its verdict in Thai, the predicted OIT score.
  await Promise.all([officer.waitForNavigation(), officer.click('#readiness a:has-text("รายงานการตรวจ")')]);
  const rows = await officer.$$eval('table.oit-check tr[id]', (trs) => trs.map((t) => t.id));
  assert.equal(rows.length, 43);
  assert.match(await officer.textContent('main'), /คะแนน OIT ที่คาดการณ์ \d+\.\d\d/);
  assert.doesNotMatch(await officer.textContent('main'), /likely_fine|error_status|unreachable/, 'no codes on the page');
  await axeCheck(officer, 'the readiness report');
  // The same report as a PDF file, read back with poppler.
  const [download] = await Promise.all([officer.waitForEvent('download'), officer.click('a:has-text("PDF")')]);
  const pdfPath = join(outDir, 'oit-check-report.pdf');
  await download.saveAs(pdfPath);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
  assert.match(text, /รายงานความพร้อมของหลักฐาน/);
  assert.match(text, /น่าจะผ่านเกณฑ์ ๒ จาก ๔๓ ข้อ/);
  assert.ok(text.includes(`${own}/O3/missing`), 'URLs keep their digits in the PDF');
  await officer.setViewportSize({ width: 390, height: 844 });
  await shot(officer, 'check-report-phone');

  console.log(`oit_check e2e: ${steps()} screenshots, check took ${seconds.toFixed(1)} s`);
} finally {
  for (const res of stalled) res.destroy();
  site.close();
  site.closeAllConnections?.();
  await close();
}
