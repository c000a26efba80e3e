/**
 * The chat page in a real browser (Debian's Chromium driven by playwright-core), against the built
 * server as `npm start` runs it: Web Chat on the local Direct Line, talking to the real bot.
 * Run with `npm run test:e2e` (it builds first). Saves screenshots to reports/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

let server: { url: string; process: ChildProcess };
let profile: string;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startBuiltServer();
  profile = mkdtempSync(join(tmpdir(), 'webchat-e2e-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: DESKTOP });
  page = await openChat();
  mkdirSync(REPORTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  server?.process.kill('SIGKILL');
});

describe('the chat page in Chromium', () => {
  it('welcomes the user with the starter questions as buttons', async () => {
    await expect(page.title()).resolves.toBe('Clonazepam article assistant');
    await assistantReply(/automated assistant that answers questions about one article on clonazepam/).waitFor();
    const starters = await suggestedActions().allTextContents();
    expect(starters.length).toBeGreaterThanOrEqual(3);
  });

  it('answers a question typed with the keyboard alone, with its citation', async () => {
    await tabTo(page.getByRole('textbox', { name: 'Message input box' }));
    await page.keyboard.type('what is the half-life of clonazepam');
    await page.keyboard.press('Enter');
    await page.getByRole('article', { name: /^You said: what is the half-life of clonazepam/ }).waitFor();
    await assistantReply(/half-life.*Sources.*p2s6: /s).waitFor();
    await page.getByRole('listitem').filter({ hasText: /^p2s6: .With a relatively long half-life/ }).waitFor();
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

  it('answers a crisis message with the emergency reply', async () => {
    await send('i took the whole bottle');
    await assistantReply(/Call 911 now/).waitFor();
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
    await expect(page.locator('#webchat strong').filter({ hasText: /^bold$/ }).count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('never showed a failed send', async () => {
    await expect(page.getByText(/send failed/i).count()).resolves.toBe(0);
    await page.screenshot({ path: join(REPORTS, 'webchat.png') });
  });

  it('fits a phone-width screen', async () => {
    const phone = await openChat(PHONE);
    await suggestedActions(phone).first().waitFor();
    await phone.getByText('Connectivity Status: Connected').waitFor({ state: 'attached' });
    await expect(phone.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: join(REPORTS, 'webchat-phone.png') });
    await phone.close();
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
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /chat page on (http[^"\s]+)/.exec(line)?.[1];
      if (url) resolve({ url, process: child });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before printing the chat page URL (was \`npm run build\` run?)`)));
  });
}

async function openChat(viewport = DESKTOP): Promise<Page> {
  const opened = await browser.newPage();
  await opened.setViewportSize(viewport);
  opened.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  opened.on('pageerror', (error) => consoleErrors.push(error.message));
  await opened.goto(server.url);
  return opened;
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
