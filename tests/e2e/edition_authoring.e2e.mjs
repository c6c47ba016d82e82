// Authoring a year's edition in Debian's Chromium, without writing JSON: the administrator
// exports last year's edition as a spreadsheet (the template), edits it in a spreadsheet program
// (here exceljs), uploads it with one mistake and sees the mistake named by sheet, row and column,
// fixes it, reviews the differences from the previous year and the survey preview, and publishes;
// an officer then opens a round on the new edition and a staff member answers its survey.
// Usage: node edition_authoring.e2e.mjs ITA_BINARY OUT_DIR — screenshots land in OUT_DIR.
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, dir, browser, shot, steps, login, close } = await start(ita, outDir, 'edition');
const REWORDED = 'ท่านได้รับการปฏิบัติอย่างเป็นธรรมจากบุคลากรของหน่วยงานทุกครั้ง';

// The spreadsheet an administrator would prepare for FY2571 from the FY2570 template: the year,
// its questionnaires marked complete (official lists loaded), the first IIT question reworded.
// `mistake` puts an unknown indicator into one row of the items sheet.
async function prepareSpreadsheet(template, out, mistake) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(template);
  const edition = book.getWorksheet('edition');
  edition.eachRow((row) => {
    const key = String(row.getCell(1).value);
    if (key === 'id' || key === 'fiscal_year') row.getCell(2).value = key === 'id' ? '2571' : 2571;
    if (key === 'title_th') row.getCell(2).value = 'การประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2571';
    if (key === 'iit.provenance.status' || key === 'eit.provenance.status') row.getCell(2).value = 'official';
  });
  const items = book.getWorksheet('items');
  const header = items.getRow(1).values;
  const col = (name) => header.indexOf(name);
  let first = null;
  let mistakeRow = 0;
  items.eachRow((row, n) => {
    if (n === 1 || row.getCell(col('tool')).value !== 'IIT') return;
    first ??= row.getCell(col('code')).value;
    if (row.getCell(col('code')).value === first) row.getCell(col('text_th')).value = REWORDED;
    if (mistake && !mistakeRow && n > 3) {
      row.getCell(col('indicator')).value = 99;
      mistakeRow = n;
    }
  });
  await book.xlsx.writeFile(out);
  return { mistakeRow, column: String.fromCharCode(64 + col('indicator')) };
}

try {
  const template = join(dir, 'edition-2570.xlsx');
  execFileSync(ita, ['edition', 'export', '2570', '--format', 'xlsx', '--out', template]);
  const broken = await prepareSpreadsheet(template, join(dir, 'edition-2571-broken.xlsx'), true);
  await prepareSpreadsheet(template, join(dir, 'edition-2571.xlsx'), false);

  // 1. The administrator finds the editions page from the home page and uploads the broken file.
  const adminContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const admin = await login(adminContext, 'admin@demo.openita');
  await Promise.all([admin.waitForNavigation(), admin.click('a[href="/admin/editions"]')]);
  assert.match(await admin.textContent('h1'), /ชุดเกณฑ์การประเมิน/);
  const listing = await admin.textContent('main');
  assert.doesNotMatch(listing, /partial|reconstructed|official/, 'no English provenance words');
  await admin.setInputFiles('#file', join(dir, 'edition-2571-broken.xlsx'));
  await Promise.all([admin.waitForNavigation(), admin.click('form[action="/admin/editions/upload"] button')]);
  const problems = await admin.$$eval('#problems tr', (rows) => rows.slice(1).map((r) => [...r.cells].map((c) => c.textContent.trim())));
  await shot(admin, 'upload-with-a-mistake');
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0][0], 'items');
  assert.equal(problems[0][1], String(broken.mistakeRow));
  assert.ok(problems[0][2].startsWith(broken.column), problems[0][2]);
  assert.match(problems[0][3], /99/);

  // 2. Fixed: the review page shows the differences from FY2570 and the survey as respondents see it.
  await admin.setInputFiles('#file', join(dir, 'edition-2571.xlsx'));
  await Promise.all([admin.waitForNavigation(), admin.click('form[action="/admin/editions/upload"] button')]);
  assert.match(await admin.textContent('h1'), /ตรวจทานชุดเกณฑ์ 2571/);
  const diff = await admin.textContent('#diff');
  assert.match(diff, /ปรับถ้อยคำ/);
  assert.ok(diff.includes(REWORDED), 'the reworded question is shown');
  await admin.click('details.preview summary');
  assert.ok((await admin.textContent('details.preview')).includes(REWORDED));
  await shot(admin, 'review');
  await Promise.all([admin.waitForNavigation(), admin.click('text=เผยแพร่ชุดเกณฑ์ 2571')]);
  assert.match(await admin.textContent('.flash'), /เผยแพร่ชุดเกณฑ์ 2571 ฉบับที่ 1 แล้ว/);
  await shot(admin, 'published');

  // 3. The officer opens a (real, not practice) round on it; a staff member answers on a phone.
  const officerContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const officer = await login(officerContext, 'officer@demo.openita');
  await officer.click('text=เทศบาลตำบลแม่สายมิตรภาพ');
  await officer.selectOption('#edition', '2571');
  await officer.fill('#staff_count', '25');
  await officer.fill('#service_users', '300');
  await Promise.all([officer.waitForNavigation(), officer.click('form[action$="/rounds"] button[type=submit]')]);
  assert.match(new URL(officer.url()).pathname, /^\/rounds\/\d+$/, await officer.textContent('body'));
  const links = await officer.$$eval('a[href*="/s/"]', (as) => as.map((a) => a.href));
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const staff = await phone.newPage();
  await staff.goto(links[0]);
  assert.ok((await staff.textContent('form')).includes(REWORDED), 'the survey asks the new wording');
  assert.equal(await staff.$('.notice'), null, 'a complete edition: no practice notice');
  const groups = await staff.$$eval('input[type=radio]', (els) => [...new Set(els.map((e) => e.name))]);
  for (const name of groups) await staff.locator(`input[type=radio][name="${name}"]`).last().check();
  await Promise.all([staff.waitForNavigation(), staff.click('button[type=submit]')]);
  assert.match(await staff.textContent('h1'), /ขอบคุณที่ตอบแบบสำรวจ/);
  await shot(staff, 'answered');
  console.log(`e2e edition authoring: ${groups.length} IIT answers, ${steps()} screenshots in ${outDir}`);
} finally {
  await close();
}
