// What every browser journey shares: a fresh `ita serve --demo` on a free port over a new
// SQLite file, Debian's Chromium, signing in as a demo user, numbered screenshots.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import assert from 'node:assert/strict';

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let axeRuns = 0;

// Runs axe-core in `page` (evaluated through the debugger protocol: the pages' CSP allows no other
// script) and fails on any serious or critical violation of WCAG 2.0/2.1 A and AA.
export async function axeCheck(page, what) {
  await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(bad, [], `axe on ${what}`);
  axeRuns++;
}

// How many pages axeCheck has passed in this process.
export const axeChecked = () => axeRuns;

// Starts the server (with `serveArgs` added to its command line) and the browser. Returns
// { base, banner, dir, browser, shot, login, close }.
export async function start(ita, outDir, name, serveArgs = []) {
  mkdirSync(outDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `ita-e2e-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(ita, ['serve', '--db', join(dir, 'demo.sqlite'), '--port', String(port), '--demo', '--threads', '2', ...serveArgs]);
  let banner = '';
  server.stdout.on('data', (d) => { banner += d; });
  server.stderr.on('data', (d) => process.stderr.write(d));
  const deadline = Date.now() + 30000;
  while (!banner.includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(banner.includes('Press Ctrl-C'), `ita serve did not start: ${banner}`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  let step = 0;
  return {
    base, banner, dir, browser,
    // A full-page screenshot named `${name}-NN-${what}.png` in outDir.
    shot: async (page, what) => page.screenshot({ path: join(outDir, `${name}-${String(++step).padStart(2, '0')}-${what}.png`), fullPage: true }),
    steps: () => step,
    // A new page of `context` signed in as the demo user `email`.
    login: async (context, email) => {
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#email', email);
      await page.fill('#password', 'demo-ita-2567');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      assert.match(await page.textContent('header'), new RegExp(email.replace('.', '\\.')));
      return page;
    },
    close: async () => {
      await browser.close();
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
