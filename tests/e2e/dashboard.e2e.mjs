// The national dashboard in Debian's Chromium on a phone (390×844) and a desktop (1366×768): the
// demo database plus a small synthetic national data set (ita datagen | ita import); headline
// figures before the filters, a labelled distribution chart, provinces as an ordered bar chart,
// long tables collapsed, the ranking inside its own scroll region (the page never scrolls
// sideways), an agency search, names linking to the agency for the administrator and not for a
// viewer of another agency, CSV/XLSX downloads of the table shown. axe-core finds no serious or
// critical WCAG 2.1 A/AA violation.
// Usage: node dashboard.e2e.mjs ITA_BINARY OUT_DIR — screenshots (dashboard-NN-*.png) in OUT_DIR.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { axeCheck, start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, dir, browser, shot, login, close } = await start(ita, outDir, 'dashboard');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };

// The page never scrolls sideways: wide tables scroll inside their own region.
async function noHorizontalOverflow(page, what) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  assert.ok(scroll <= inner, `${what}: the page is ${scroll} px wide in a ${inner} px window`);
}

try {
  // 120 agencies in 61 provinces, all rounds closed (scored), next to the demo agency.
  const data = join(dir, 'national');
  execFileSync(ita, ['datagen', '--agencies', '120', '--answers', '3000', '--out', data, '--seed', '7']);
  execFileSync(ita, ['import', data, '--db', join(dir, 'demo.sqlite')]);

  for (const [size, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const context = await browser.newContext(options);
    const page = await login(context, 'admin@demo.openita');
    await page.goto(`${base}/dashboard`);
    // 1. Headline figures first, before the filters; the agencies counted.
    const count = Number(await page.textContent('#agencies-count'));
    assert.ok(count >= 100, `agencies assessed: ${count}`);
    assert.match(await page.textContent('#mean-total'), /^\d+\.\d\d$/);
    assert.ok(await page.$$eval('.level-shares li', (els) => els.length) >= 5, 'a share per level');
    const order = await page.evaluate(() => {
      const y = (s) => document.querySelector(s).getBoundingClientRect().top;
      return { headline: y('.headline'), filters: y('details.filters') };
    });
    assert.ok(order.headline < order.filters, 'headline figures above the filters');
    assert.ok(order.headline < options.viewport.height, 'headline on the first screen');
    // 2. A labelled, accessible chart; 3. provinces ordered; long tables collapsed.
    assert.match(await page.getAttribute('.chart svg[role=img]', 'aria-label'), /การกระจายของคะแนนรวม/);
    const means = await page.$$eval('.chart-ranked svg text', (els) => els
      .map((e) => e.textContent).filter((t) => /^\d+\.\d\d$/.test(t)).map(Number));
    assert.ok(means.length >= 2, 'province bars');
    assert.deepEqual(means, [...means].sort((a, b) => b - a), 'provinces ordered best first');
    assert.equal(await page.$eval('details:has(table) summary', (e) => e.parentElement.open), false);
    assert.match(await page.textContent('body'), /ตารางรายจังหวัด \(\d+ จังหวัด\)/);
    await noHorizontalOverflow(page, `dashboard (${size})`);
    await axeCheck(page, `dashboard (${size})`);
    await shot(page, `${size}-dashboard`);

    // 4. The ranking scrolls inside its region; names link to the agency.
    const region = await page.$eval('.scroll:has(table.agencies)', (e) => ({
      overflow: getComputedStyle(e).overflowX, client: e.clientWidth, scroll: e.scrollWidth,
      right: e.getBoundingClientRect().right,
    }));
    assert.equal(region.overflow, 'auto');
    if (size === 'desktop') assert.ok(region.scroll <= region.client, 'the whole ranking at 1366 px');
    assert.ok(region.right <= options.viewport.width, 'the ranking region fits the window');
    const href = await page.getAttribute('table.agencies td a[href^="/agencies/"]', 'href');
    assert.ok(href, 'agency names link to the agency');
    assert.ok(!/\(AA\)/.test(await page.textContent('table.agencies')), 'grades shown once');

    // Search (Thai text) through the form, kept in the download links.
    const name = await page.textContent('table.agencies tbody tr:nth-child(2) td:nth-child(2)');
    const word = name.trim().split(/\s+/).slice(-1)[0];
    if (!(await page.$eval('details.filters', (e) => e.open))) await page.click('details.filters summary');
    await page.fill('#q', word);
    await Promise.all([page.waitForNavigation(), page.click('details.filters button[type=submit]')]);
    const names = await page.$$eval('table.agencies td:nth-child(2)', (els) => els.map((e) => e.textContent));
    assert.ok(names.length >= 1 && names.every((n) => n.includes(word)), `search "${word}": ${names}`);
    await noHorizontalOverflow(page, `search (${size})`);
    await axeCheck(page, `search (${size})`);
    await shot(page, `${size}-search`);

    // 5. The downloads hold the rows shown.
    const csvHref = await page.getAttribute('a[href*="/dashboard/export/agencies.csv"]', 'href');
    assert.match(csvHref, /q=/);
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), csvHref);
    const rows = csv.trim().split(/\r\n/).slice(1);
    assert.equal(rows.length, names.length, 'the CSV has the rows of the page');
    const xlsxHref = await page.getAttribute('a[href*="/dashboard/export/agencies.xlsx"]', 'href');
    const magic = await page.evaluate(async (u) => {
      const b = new Uint8Array(await (await fetch(u)).arrayBuffer());
      return String.fromCharCode(b[0], b[1]);
    }, xlsxHref);
    assert.equal(magic, 'PK');
    await context.close();
  }

  // A viewer of the demo agency: the dashboard, and no link to the other agencies.
  const context = await browser.newContext(DESKTOP);
  const page = await login(context, 'viewer@demo.openita');
  await page.goto(`${base}/dashboard`);
  const links = await page.$$eval('table.agencies td a', (els) => els.length);
  assert.equal(links, 0, 'a viewer sees no links to other agencies');
  await shot(page, 'desktop-viewer');
  await context.close();
  console.log(`dashboard e2e: passed (${outDir})`);
} finally {
  await close();
}
