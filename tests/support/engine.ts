/** One engine for a whole test file: loading and training happen once. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadContent, type Content } from '../../src/content/load.js';
import { engineSettingsFrom } from '../../src/content/settings.js';
import { createEngine, type Engine } from '../../src/engine/engine.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

let cached: { content: Content; engine: Engine } | null = null;

export function projectEngine(): { content: Content; engine: Engine } {
  if (!cached) {
    const content = loadContent(PROJECT_ROOT);
    cached = { content, engine: createEngine(content, engineSettingsFrom({})) };
  }
  return cached;
}

/** The engine, except that the question `trigger` throws an error carrying an internal detail (/srv/secret/path). */
export function explodingEngine(engine: Engine, trigger = 'explode'): Engine {
  return Object.assign(Object.create(engine) as Engine, {
    answer: (question: string, context?: Parameters<Engine['answer']>[1]) => {
      if (question === trigger) throw new Error('internal detail: /srv/secret/path');
      return engine.answer(question, context);
    },
  });
}

export function testData<T>(name: string): T {
  return parse(readFileSync(join(PROJECT_ROOT, 'tests', 'data', name), 'utf8')) as T;
}

export interface Heldout {
  questions: { intent: string; asks: string[] }[];
}
export interface Crisis {
  overdose: string[];
  self_harm: string[];
}
export interface Offtopic {
  questions: string[];
}
