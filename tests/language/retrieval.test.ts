/** The passage tier scores exactly as natural's TfIdf, without its per-word cache or its prototype keys. */
import { describe, expect, it } from 'vitest';
import { sentenceTfIdf, SentenceRetriever } from '../../src/language/retrieval.js';
import { projectEngine, testData, type Heldout, type Offtopic } from '../support/engine.js';

const { content, engine } = projectEngine();
const { featurizer } = engine.model;
const sentenceStems = content.sentences.map((s) => featurizer.analyze(s.text).contentStems);
const retriever = new SentenceRetriever(sentenceStems);

describe('SentenceRetriever', () => {
  it("gives every sentence natural's tfidfs() score, for 400+ questions", () => {
    const natural = sentenceTfIdf(sentenceStems);
    const questions = [...testData<Heldout>('heldout.yaml').questions.flatMap((q) => q.asks), ...testData<Offtopic>('offtopic.yaml').questions];
    const stemsOf = questions.map((q) => [...new Set(featurizer.analyze(q).contentStems)]).filter((stems) => stems.length > 0);
    expect(stemsOf.length).toBeGreaterThan(400);
    for (const stems of stemsOf) expect([...retriever.scores(stems)]).toEqual(natural.tfidfs(stems));
  });

  it('quotes the sentence that shares most of the question, and scores words that are object keys as unknown', () => {
    const stems = featurizer.analyze('what does gaba do').contentStems;
    const best = retriever.best(stems)!;
    expect(sentenceStems[best.index]).toEqual(expect.arrayContaining(stems));
    expect(best.coverage).toBe(1);
    expect([...retriever.scores(['constructor', '__proto__', 'tostring'])].every((score) => score === 0)).toBe(true);
  });
});
