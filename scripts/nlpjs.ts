/** NLP.js trained on the same intents, for comparison in `npm run bench` only (a devDependency). */
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en-min';
import { loadContent } from '../src/content/load.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

interface NlpJs {
  settings: { autoSave: boolean; log: boolean };
  addLanguage(locale: string): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
}

/** NLP.js's neural trainer prints every epoch on console.log; the bench prints a table. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

/** Out-of-scope utterances train NLP.js's own "None" intent; it answers "None" below its threshold too. */
export async function trainNlpJs(): Promise<(question: string) => Promise<string | null>> {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangEn);
  const nlp = container.get('nlp') as NlpJs;
  nlp.settings.autoSave = false;
  nlp.settings.log = false;
  nlp.addLanguage('en');
  for (const intent of loadContent(PROJECT_ROOT).intents) {
    for (const utterance of intent.utterances) nlp.addDocument('en', utterance, intent.kind === 'none' ? 'None' : intent.id);
  }
  await quietly(() => nlp.train());
  return async (question) => {
    const { intent } = await nlp.process('en', question);
    return intent === 'None' ? null : intent;
  };
}
