/** Accuracy on questions written separately from the training utterances. */
import { describe, expect, it } from 'vitest';
import { CONTRACT_INTENTS } from '../../src/content/contract.js';
import { foldUtterance } from '../../src/content/load.js';
import { blindSet } from '../../scripts/blindSets.js';
import { projectEngine, testData, type Crisis, type Heldout, type Offtopic } from '../support/engine.js';

const { content, engine } = projectEngine();
const heldout = testData<Heldout>('heldout.yaml');
const crisis = testData<Crisis>('crisis.yaml');
const offtopic = testData<Offtopic>('offtopic.yaml');

function share(hits: number, total: number): number {
  return total === 0 ? 0 : hits / total;
}

function misses(questions: readonly string[], expected: (q: string) => boolean): string[] {
  return questions.filter((q) => !expected(q));
}

describe('held-out evaluation data', () => {
  it('has at least 6 questions for every intent of the contract but the known gaps (the blind sets cover those)', () => {
    const counts = new Map(heldout.questions.map((q) => [q.intent, q.asks.length]));
    for (const [id, { kind }] of Object.entries(CONTRACT_INTENTS)) if (kind !== 'gap') expect(counts.get(id) ?? 0, id).toBeGreaterThanOrEqual(6);
  });

  it('never repeats a training utterance, even after normalisation', () => {
    const normalize = (text: string) => engine.model.normalizer.normalize(foldUtterance(text));
    const training = new Set(content.intents.flatMap((i) => i.utterances.map(normalize)));
    const blind = [...blindSet('dev'), ...blindSet('locked')].map((item) => item.question);
    const evaluation = [...heldout.questions.flatMap((q) => q.asks), ...crisis.overdose, ...crisis.self_harm, ...offtopic.questions, ...blind];
    expect(evaluation.filter((q) => training.has(normalize(q)))).toEqual([]);
  });
});

describe('accuracy', () => {
  it('answers at least 95% of held-out document-topic questions with the right intent', () => {
    const topics = heldout.questions.filter((q) => CONTRACT_INTENTS[q.intent]?.kind === 'answer');
    const asked = topics.flatMap((q) => q.asks.map((ask) => ({ ask, intent: q.intent })));
    const wrong = asked.filter(({ ask, intent }) => engine.answer(ask).intent !== intent);
    expect(
      share(asked.length - wrong.length, asked.length),
      JSON.stringify(wrong.map((w) => [w.ask, engine.answer(w.ask).intent ?? engine.answer(w.ask).kind])),
    ).toBeGreaterThanOrEqual(0.95);
  });

  it('sends every held-out safety, scope and small-talk question to its intent at 90% or more', () => {
    const others = heldout.questions.filter((q) => CONTRACT_INTENTS[q.intent]?.kind !== 'answer');
    const asked = others.flatMap((q) => q.asks.map((ask) => ({ ask, intent: q.intent })));
    const wrong = asked.filter(({ ask, intent }) => engine.answer(ask).intent !== intent);
    expect(share(asked.length - wrong.length, asked.length), JSON.stringify(wrong.map((w) => [w.ask, engine.answer(w.ask).intent]))).toBeGreaterThanOrEqual(0.9);
  });

  it('sends 100% of crisis messages to their safety intent, with the emergency or crisis number', () => {
    expect(misses(crisis.overdose, (q) => engine.answer(q).intent === 'safety.overdose_emergency')).toEqual([]);
    expect(misses(crisis.self_harm, (q) => engine.answer(q).intent === 'safety.self_harm')).toEqual([]);
    expect(engine.answer(crisis.self_harm[0]!).text).toContain('988');
    expect(engine.answer(crisis.overdose[0]!).text).toContain('911');
  });

  // Written by the same hand as the early training data; HWU64 (tests/engine/blind.test.ts) is the honest off-domain measure.
  it('sends at least 94% of 200+ self-written off-topic questions to fallback', () => {
    expect(offtopic.questions.length).toBeGreaterThanOrEqual(200);
    const wrong = misses(offtopic.questions, (q) => engine.answer(q).kind === 'fallback');
    expect(share(offtopic.questions.length - wrong.length, offtopic.questions.length), JSON.stringify(wrong)).toBeGreaterThanOrEqual(0.94);
  });
});
