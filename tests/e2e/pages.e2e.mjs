// Every page a person can reach, checked with axe-core: starting from the home page (and the
// public dashboard and survey links), each signed-in demo role (administrator, officer, assessor,
// viewer) and an anonymous visitor follow every same-site link that leads to a page, at phone
// (390×844) and desktop (1366×768) sizes. Each page must answer 200 in Thai (lang="th") and axe
// must find no serious or critical WCAG 2.1 A/AA violation, and no English word may be shown
// (englishOn). Only GET requests: nothing changes.
// Usage: node pages.e2e.mjs ITA_BINARY OUT_DIR — screenshots (pages-NN-*.png) in OUT_DIR.
import { tmpdir } from 'node:os';
import assert from 'node:assert/strict';
import { axeCheck, axeChecked, start } from './harness.mjs';

const [ita, outDir = tmpdir()] = process.argv.slice(2);
const { base, banner, browser, shot, login, close } = await start(ita, outDir, 'pages');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1366, height: 768 } };
const MAX_PAGES = 60;  // per role and size: the demo has one agency, so this covers every kind

// Whether `href` leads to one of our HTML pages (not a download, the API, or signing out).
function isPage(href) {
  const url = new URL(href, base);
  if (url.origin !== base) return false;
  if (url.pathname.startsWith('/api/') || url.pathname === '/logout') return false;
  return !/\.(pdf|csv|xlsx|docx|json|png|svg|js|css|txt|html)$/.test(url.pathname);
}

// Latin-script words a person reads on the page (text shown, titles, labels, placeholders,
// alternative texts), leaving out what is not language: addresses, e-mail addresses, paths,
// code, the names of tools and formats, words of NACC's own item names ("Social Network",
// "E-Service"), and what the page marks translate="no".
async function englishOn(page) {
  return page.evaluate(() => {
    const names = new Set(['IIT', 'EIT', 'OIT', 'ITA', 'OpenITA', 'PDF', 'CSV', 'XLSX', 'DOCX',
      'HTML', 'API', 'JSON', 'URL', 'QR', 'HTTP', 'HTTPS', 'PNG', 'SVG', 'WCAG', 'pdf', 'csv',
      'xlsx', 'docx', 'json', 'http', 'https', 'Social', 'Network', 'E-Service']);
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!el || el.closest('code, pre, script, style, [translate="no"]')) continue;
      if (el.getClientRects().length === 0) continue;  // not shown
      texts.push(walker.currentNode.textContent);
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      if (el.closest('[translate="no"]')) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
        if (el.getAttribute(a)) texts.push(el.getAttribute(a));
      }
    }
    const words = new Set();
    for (const t of texts) {
      const prose = t.replace(/[a-z]+:\/\/\S+/gi, ' ').replace(/\S+@\S+/g, ' ')
        .replace(/(^|\s)\/\S*/g, ' ');
      for (const w of prose.match(/[A-Za-z][A-Za-z'’-]{2,}/g) || []) {
        if (!names.has(w)) words.add(w);
      }
    }
    return [...words];
  });
}

// A page's path with ids replaced, so that each kind of page is checked once per role and size.
const kind = (path) => path.replace(/\/[0-9]+(?=\/|$)/g, '/N').replace(/\/s\/[^/?]+/, '/s/T');

async function crawl(page, starts, who) {
  const seen = new Set();
  const queue = [...starts];
  let checked = 0;
  while (queue.length > 0 && checked < MAX_PAGES) {
    const path = queue.shift();
    const url = new URL(path, base);
    const key = kind(url.pathname) + (url.search ? '?' : '');
    if (seen.has(key)) continue;
    seen.add(key);
    const response = await page.goto(url.href);
    assert.equal(response.status(), 200, `${who}: GET ${path}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'th', `${who}: ${path} is in Thai`);
    await axeCheck(page, `${path} as ${who}`);
    assert.deepEqual(await englishOn(page), [], `${who}: ${path} has English words`);
    checked++;
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    for (const href of links) {
      if (!isPage(href)) continue;
      const next = new URL(href, url.href);
      queue.push(next.pathname + next.search);
    }
  }
  return checked;
}

try {
  // The survey links the demo prints when it starts ("IIT http://…/s/…").
  const surveys = ['IIT', 'EIT'].map((tool) => new URL(banner.match(new RegExp(`${tool} (http\\S+)`))[1]).pathname);
  for (const [size, options] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const context = await browser.newContext(options);
    const anonymous = await context.newPage();
    const n = await crawl(anonymous, ['/login', '/dashboard', ...surveys], `a visitor (${size})`);
    console.log(`a visitor (${size}): ${n} pages`);
    await context.close();
    for (const email of ['admin@demo.openita', 'officer@demo.openita', 'assessor@demo.openita',
      'viewer@demo.openita']) {
      const signed = await browser.newContext(options);
      const page = await login(signed, email);
      const count = await crawl(page, ['/', '/account/password'], `${email} (${size})`);
      console.log(`${email} (${size}): ${count} pages`);
      await page.goto(`${base}/`);
      await shot(page, `${email.split('@')[0]}-home-${size}`);
      await signed.close();
    }
  }
  console.log(`pages: axe found no serious or critical violation on ${axeChecked()} pages`);
} finally {
  await close();
}
