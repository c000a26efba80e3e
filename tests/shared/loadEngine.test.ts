/** The engine cache: a restart from it answers exactly as learning afresh, and a content change is never served stale. */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEngine, PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { engineSettingsFrom } from '../../src/content/settings.js';
import { testData, type Heldout, type Offtopic } from '../support/engine.js';

const root = mkdtempSync(join(tmpdir(), 'faq-cache-'));
for (const entry of ['package.json', 'intents', 'responses', 'knowledge']) cpSync(join(PROJECT_ROOT, entry), join(root, entry), { recursive: true });
const cacheFile = join(root, 'node_modules', '.cache', 'faq-assistant', 'engine.json');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const questions = [
  ...testData<Heldout>('heldout.yaml').questions.flatMap((q) => q.asks),
  ...testData<Offtopic>('offtopic.yaml').questions,
  'i took the whole bottle',
  'whta are the side efects of klonopn',
];

describe('loadEngine', () => {
  it('writes the cache on a cold start and answers identically when restored from it', async () => {
    const learned = await loadEngine(engineSettingsFrom({}), { root });
    expect(existsSync(cacheFile)).toBe(true);
    const restored = await loadEngine(engineSettingsFrom({}), { root });
    const uncached = await loadEngine(engineSettingsFrom({}), { root, cache: false });
    for (const question of questions) {
      expect(restored.answer(question)).toEqual(learned.answer(question));
      expect(uncached.answer(question)).toEqual(learned.answer(question));
    }
  });

  it('learns again when the content changes', async () => {
    const file = join(root, 'responses', 'document.responses.yaml');
    const before = (await loadEngine(engineSettingsFrom({}), { root })).answer('what is clonazepam').text;
    writeFileSync(file, readFileSync(file, 'utf8').replace(before.slice(0, 40), `Changed. ${before.slice(0, 40)}`));
    expect((await loadEngine(engineSettingsFrom({}), { root })).answer('what is clonazepam').text).toBe(`Changed. ${before}`);
  });
});
