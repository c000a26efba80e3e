/**
 * The chat page in a real browser (Debian's Chromium driven by playwright-core), against the built
 * server as `npm start` runs it: Web Chat on the local Direct Line, talking to the real bot.
 * Run with `npm run test:e2e` (it builds first). Saves screenshots to reports/ and prints the time
 * from opening the page to the welcome.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const REPORTS = join(PROJECT_ROOT, 'reports');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const MARKUP_QUESTION = '<img src=x onerror=alert(1)>**bold**';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WELCOME = /automated assistant that answers questions about one article on clonazepam/;
type Scheme = 'light' | 'dark';

let server: { url: string; process: ChildProcess };
let profile: string;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startBuiltServer();
  profile = mkdtempSync(join(tmpdir(), 'webchat-e2e-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: DESKTOP });
  mkdirSync(REPORTS, { recursive: true });
  page = await openChat();
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  server?.process.kill('SIGKILL');
});

describe('the chat page in Chromium', () => {
  it('welcomes the user with the starter questions as buttons', async () => {
    await expect(page.title()).resolves.toBe('Clonazepam article assistant');
    await assistantReply(WELCOME).waitFor();
    const starters = await suggestedActions().allTextContents();
    expect(starters.length).toBeGreaterThanOrEqual(3);
  });

  it('answers a question typed with the keyboard alone, with its citation', async () => {
    await tabTo(page.getByRole('textbox', { name: 'Message input box' }));
    await page.keyboard.type('what is the half-life of clonazepam');
    await page.keyboard.press('Enter');
    await page.getByRole('article', { name: /^You said: what is the half-life of clonazepam/ }).waitFor();
    await assistantReply(/half-life.*Sources.*Paragraph 2, sentence 6/s).waitFor();
    await page
      .getByRole('listitem')
      .filter({ hasText: /Paragraph 2, sentence 6\W+With a relatively long half-life/ })
      .waitFor();
  });

  it('answers a suggested action when it is clicked', async () => {
    const replies = await assistantReplies().count();
    const action = suggestedActions().first();
    const label = (await action.textContent())!;
    await action.click();
    await page.getByRole('article', { name: `You said: ${label}` }).waitFor();
    await expect.poll(() => assistantReplies().count()).toBe(replies + 1);
    await expect(assistantReplies().last().textContent()).resolves.toMatch(/Sources/);
  });

  it('links each source to its sentence in the article view, labelled by paragraph and sentence', async () => {
    const source = page.getByRole('link', { name: /^Paragraph 2, sentence 6\b/ }).last();
    await expect(source.getAttribute('href')).resolves.toBe(new URL('/article#p2s6', server.url).href);
    const [article] = await Promise.all([browser.waitForEvent('page'), source.click()]);
    await article.waitForLoadState();
    watchConsole(article);
    expect(new URL(article.url()).pathname + new URL(article.url()).hash).toBe('/article#p2s6');
    const cited = article.locator('#p2s6');
    await expect(cited.textContent()).resolves.toContain('With a relatively long half-life');
    await expect(cited.evaluate((element) => element.matches(':target') && getComputedStyle(element).backgroundColor)).resolves.not.toBe('rgba(0, 0, 0, 0)');
    await expect(cited.evaluate(isInViewport)).resolves.toBe(true);
    await expect(article.locator('.sentence').count()).resolves.toBe(22);
    await article.screenshot({ path: join(REPORTS, 'article.png') });
    for (const scheme of ['light', 'dark'] as const) expect(await axeViolations(article, scheme), `article, ${scheme}`).toEqual([]);
    await article.close();
  });

  it('"tell me more" adds sentences not listed before, and says "Clonazepam 2mg" is a product\'s name', async () => {
    await send('what is clonazepam');
    await assistantReply(/benzodiazepine class of drugs.*Sources/s).waitFor();
    const shown = sourceLabels((await assistantReplies().last().textContent())!);
    await send('tell me more');
    const more = assistantReply(/Here is what the article says next to that/);
    await more.waitFor();
    const added = sourceLabels((await more.textContent())!);
    expect(added.length).toBeGreaterThan(0);
    expect(added.filter((label) => shown.includes(label))).toEqual([]);
    await expect(more.textContent()).resolves.toMatch(/[“"]Clonazepam 2mg[”"] is the name of the generic product it discusses, not how much anyone should take/);
  });

  it('answers a crisis message with the emergency reply, and offers no follow-ups that do not fit it', async () => {
    await send('i took the whole bottle');
    await assistantReply(/Call 911 now/).waitFor();
    await expect.poll(() => suggestedActions().count()).toBe(0);
  });

  it('shows markup typed by the user as inert text: no element made from it, no script run', async () => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const replies = await assistantReplies().count();
    await send(MARKUP_QUESTION);
    await page.getByRole('article', { name: `You said: ${MARKUP_QUESTION}` }).waitFor();
    await expect.poll(() => assistantReplies().count()).toBe(replies + 1);
    await expect(page.getByText(MARKUP_QUESTION, { exact: true }).count()).resolves.toBeGreaterThan(0); // the characters as typed: no markdown
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(
      page
        .locator('#webchat strong')
        .filter({ hasText: /^bold$/ })
        .count(),
    ).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('never showed a failed send', async () => {
    await expect(page.getByText(/send failed/i).count()).resolves.toBe(0);
    await page.screenshot({ path: join(REPORTS, 'webchat.png') });
  });

  it('has no axe-core violations after a conversation, in both themes, and shows a focus ring on the message box', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      expect(await axeViolations(page, scheme), `chat, ${scheme}`).toEqual([]);
      const input = page.getByRole('textbox', { name: 'Message input box' });
      await tabTo(input);
      const ring = await input.evaluate((element) => getComputedStyle(element.closest('.webchat__send-box__main')!).outlineStyle);
      expect(ring).toBe('solid');
      await page.screenshot({ path: join(REPORTS, `webchat-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('has no axe-core violations on load, in both themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const fresh = await openChat(DESKTOP, scheme);
      await fresh
        .getByRole('article', { name: /^The assistant said:/ })
        .filter({ hasText: WELCOME })
        .waitFor();
      await suggestedActions(fresh).first().waitFor();
      expect(await axeViolations(fresh, scheme), `chat on load, ${scheme}`).toEqual([]);
      await fresh.close();
    }
  });

  it('fits a phone-width screen: a compact header, suggested actions wrapping into rows', async () => {
    const phone = await openChat(PHONE);
    await suggestedActions(phone).first().waitFor();
    await phone.getByText('Connectivity Status: Connected').waitFor({ state: 'attached' });
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    const header = (await phone.locator('header.title-bar').boundingBox())!;
    console.log(`phone (390x844): header ${Math.round(header.height)} px high`);
    expect(header.height).toBeLessThanOrEqual(PHONE.height * 0.1);
    const tops = await suggestedActions(phone).evaluateAll((buttons) => buttons.map((button) => Math.round(button.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBeLessThan(tops.length); // some share a row
    await phone.screenshot({ path: join(REPORTS, 'webchat-phone.png') });
    await phone.close();
  });

  it('serves the scripts compressed and cacheable by content hash; prints the time to the welcome', async () => {
    const scripts: { url: string; encoding: string | undefined; cacheControl: string | undefined }[] = [];
    const timed = await browser.newPage();
    timed.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const headers = await response.allHeaders();
      scripts.push({ url: response.url(), encoding: headers['content-encoding'], cacheControl: headers['cache-control'] });
    });
    const cold = await timeToWelcome(timed, true);
    const warm = await timeToWelcome(timed, false);
    console.log(`time to the welcome: ${cold} ms with an empty cache, ${warm} ms with the scripts cached`);
    const webchat = scripts.find((script) => /\/webchat\/webchat\.[\w-]+\.js$/.test(script.url));
    expect(webchat).toMatchObject({ encoding: 'br', cacheControl: 'public, max-age=31536000, immutable' });
    await timed.close();
  });

  it('logged no errors in the console (CSP violations included)', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('stops cleanly on SIGTERM with the page still polling', async () => {
    server.process.kill('SIGTERM');
    const [code] = (await once(server.process, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

/** `node dist/src/index.js` on a free port, anonymous, whatever .env says; resolves with the chat page URL it prints. */
async function startBuiltServer(): Promise<{ url: string; process: ChildProcess }> {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', MicrosoftAppId: '', MicrosoftAppPassword: '', DIRECTLINE_ENABLED: 'true', EMERGENCY_NUMBER: '911' };
  const child = spawn(process.execPath, ['dist/src/index.js'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    // Keeps reading the log to the end: a server whose stdout pipe closed would fail on its next log line.
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /chat page on (http[^"\s]+)/.exec(line)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before printing the chat page URL (was \`npm run build\` run?)`)));
  });
}

async function openChat(viewport = DESKTOP, colorScheme: Scheme = 'light'): Promise<Page> {
  const opened = await browser.newPage();
  await opened.setViewportSize(viewport);
  await opened.emulateMedia({ colorScheme });
  watchConsole(opened);
  await opened.goto(server.url);
  return opened;
}

function watchConsole(on: Page): void {
  on.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  on.on('pageerror', (error) => consoleErrors.push(error.message));
}

/** Milliseconds from asking for the page to the welcome on screen; `cold`: with the browser's cache emptied first. */
async function timeToWelcome(on: Page, cold: boolean): Promise<number> {
  if (cold) await (await on.context().newCDPSession(on)).send('Network.clearBrowserCache');
  const started = performance.now();
  await on.goto(server.url);
  await on
    .getByRole('article', { name: /^The assistant said:/ })
    .filter({ hasText: WELCOME })
    .waitFor();
  return Math.round(performance.now() - started);
}

/** axe-core's violations (WCAG 2.x A and AA rules and best practices) on `on` in the colour scheme given. */
async function axeViolations(on: Page, scheme: Scheme): Promise<string[]> {
  await on.emulateMedia({ colorScheme: scheme });
  // The page script renders Web Chat again in the new theme: wait until every bubble has its colour.
  const bubble = scheme === 'dark' ? 'rgb(38, 49, 58)' : 'rgb(238, 242, 245)';
  await expect
    .poll(() =>
      on
        .locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content')
        .evaluateAll((all, colour) => all.every((b) => getComputedStyle(b).backgroundColor === colour), bubble),
    )
    .toBe(true);
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: the page itself still runs only its own scripts.
  if (!(await on.evaluate(() => 'axe' in window))) await on.evaluate(AXE_SOURCE);
  const violations = await on.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
    const { violations } = await axe.run(document);
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

function isInViewport(element: Element): boolean {
  const { top, bottom } = element.getBoundingClientRect();
  return top >= 0 && bottom <= window.innerHeight;
}

/** The labels of a reply's sources. */
function sourceLabels(replyText: string): string[] {
  return replyText.match(/Paragraph \d+, sentence \d+/g) ?? [];
}

/** The assistant's replies, as screen readers announce them ("The assistant said: ..."). */
function assistantReplies(): Locator {
  return page.getByRole('article', { name: /^The assistant said:/ });
}

function assistantReply(text: RegExp): Locator {
  return assistantReplies().filter({ hasText: text }).last();
}

function suggestedActions(on = page): Locator {
  return on.getByRole('toolbar', { name: 'Suggested actions' }).getByRole('button');
}

async function send(text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Message input box' });
  await input.fill(text);
  await input.press('Enter');
}

/** Presses Tab until `target` has the focus, as a keyboard user would (at most 20 times). */
async function tabTo(target: Locator): Promise<void> {
  for (let presses = 0; presses < 20; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('could not reach the element with the Tab key');
}
