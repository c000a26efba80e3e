/** Property-based: whatever people type, the engine returns a valid answer object, quickly. */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { toSpecAnswer, type Answer } from '../../src/engine/types.js';
import { projectEngine } from '../support/engine.js';

const { content, engine } = projectEngine();
const KINDS = ['answer', 'passage', 'clarify', 'safety', 'smalltalk', 'fallback'];
const intents = content.intents.map((i) => i.id);
const sentences = new Map(content.sentences.map((s) => [s.id, s.text]));

function isValid(answer: Answer, question: string): boolean {
  const spec = toSpecAnswer(answer);
  return (
    spec.question === question &&
    KINDS.includes(spec.kind) &&
    (spec.intent === null || intents.includes(spec.intent)) &&
    spec.confidence >= 0 &&
    spec.confidence <= 1 &&
    spec.text.trim().length > 0 &&
    spec.sources.every((s) => sentences.get(s.id) === s.text) &&
    spec.candidates.every((c) => intents.includes(c)) &&
    (JSON.parse(JSON.stringify(spec)) as typeof spec).question === question
  );
}

const vocabulary = [...new Set(content.intents.flatMap((i) => i.utterances.flatMap((u) => u.split(/\s+/))))];
const word = fc.oneof(fc.constantFrom(...vocabulary), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
const sentence = fc.array(word, { maxLength: 30 }).map((words) => words.join(' '));
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), sentence, fc.string({ minLength: 1900, maxLength: 2100 }));
const context = fc.record({ lastIntent: fc.option(fc.constantFrom(...intents)), choices: fc.option(fc.array(fc.constantFrom(...intents), { maxLength: 3 }), { nil: undefined }) });

describe('engine properties', () => {
  it('any text: a valid spec answer, no exception', () => {
    fc.assert(
      fc.property(anyText, (question) => isValid(engine.answer(question), question)),
      { numRuns: 1500 },
    );
  });

  it('any text with any conversation context: still valid', () => {
    fc.assert(
      fc.property(anyText, context, (question, ctx) => isValid(engine.answer(question, ctx), question)),
      { numRuns: 800 },
    );
  });

  it('answers do not depend on case, spacing or trailing punctuation', () => {
    const questions = content.intents.filter((i) => i.kind === 'answer').flatMap((i) => i.utterances.slice(0, 3));
    fc.assert(
      fc.property(fc.constantFrom(...questions), fc.constantFrom('', '?', '!!', ' ?', '...'), (question, ending) => {
        const variant = `  ${question.toUpperCase()}${ending} `;
        return engine.answer(variant).intent === engine.answer(question).intent;
      }),
      { numRuns: 300 },
    );
  });
});
