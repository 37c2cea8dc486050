// Drives Debian's chromium through kubehop's /ui page for UiIT, one JSON command per stdin line, one JSON answer per
// stdout line: {"ok":true,…} or {"ok":false,"error":"…"}. Every wait has its own deadline, so an answer always comes.
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const WAIT = 20000;
let browser;
let page;
const pageErrors = [];

async function open({ url }) {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // no sandbox (CI runs as root); nothing that would reach out of this machine
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#status[data-state="live"]', { timeout: WAIT });
  return {};
}

/** The open chain of a session as drawn: its mode and its connections' labels. */
async function chain({ session }) {
  const selector = `#sessions .chain[data-session="${session}"][data-state="open"]`;
  await page.waitForSelector(selector, { timeout: WAIT });
  return page.$eval(selector, (c) => ({
    mode: c.dataset.mode,
    tiers: [...c.querySelectorAll('.tier')].map((t) => t.dataset.tier),
    edges: [...c.querySelectorAll('.edge[data-from]')].map((e) => ({
      from: e.dataset.from, to: e.dataset.to, fromAddr: e.dataset.fromAddr, toAddr: e.dataset.toAddr,
      protocol: e.dataset.protocol, bytesDown: Number(e.dataset.bytesDown),
    })),
  }));
}

/** Waits until the page shows more than `above` bytes toward the client of the session. */
async function bytes({ session, above }) {
  const selector = `#sessions .chain[data-session="${session}"] .edge[data-from="client"]`;
  await page.waitForFunction(([s, n]) => {
    const e = document.querySelector(s);
    return e && Number(e.dataset.bytesDown) > n;
  }, [selector, above], { timeout: WAIT });
  return { bytesDown: await page.$eval(selector, (e) => Number(e.dataset.bytesDown)) };
}

async function gone({ session }) {
  await page.waitForSelector(`#sessions .chain[data-session="${session}"]`, { state: 'detached', timeout: WAIT });
  await page.waitForSelector(`#ended li[data-session="${session}"]`, { timeout: WAIT });
  return {};
}

async function screenshot({ path }) {
  await page.screenshot({ path, fullPage: true });
  return {};
}

async function close() {
  if (browser) await browser.close();
  return { pageErrors };
}

const commands = { open, chain, bytes, gone, screenshot, close };
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line);
  let answer;
  try {
    answer = { ok: true, ...(await commands[command.cmd](command)) };
  } catch (e) {
    answer = { ok: false, error: String(e && e.message ? e.message : e), pageErrors };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
  if (command.cmd === 'close') break;
}
process.exit(0);
