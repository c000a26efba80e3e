/**
 * The passage tier: TF-IDF (natural) over the document's sentences, with a coverage check.
 * natural's TfIdf gives every sentence stem its weight in each sentence once, when the model is
 * learned; a question then adds up the rows of its stems, which scores exactly as natural's
 * tfidfs() does. That also keeps user words out of natural's idf cache, which would otherwise
 * grow with every new word.
 */
import { createRequire } from 'node:module';
import type TfIdf from 'natural/lib/natural/tfidf/tfidf.js';

// Loaded only to learn: a start-up from a cached snapshot never needs it.
const require = createRequire(import.meta.url);

export interface PassageMatch {
  index: number;
  score: number;
  /** Share of the question's content stems that the sentence contains. */
  coverage: number;
  /** How many distinct question stems the sentence contains. */
  matched: number;
}

/** natural's TfIdf over the sentences, each given as its stems. */
export function sentenceTfIdf(sentenceStems: readonly string[][]): TfIdf {
  const tfidf = new (require('natural/lib/natural/tfidf/tfidf.js') as typeof TfIdf)();
  for (const stems of sentenceStems) tfidf.addDocument([...stems]);
  return tfidf;
}

/** Each stem of the sentences with its TF-IDF weight in every sentence, from natural. */
export function sentenceWeights(sentenceStems: readonly string[][]): [string, number[]][] {
  const tfidf = sentenceTfIdf(sentenceStems);
  return [...new Set(sentenceStems.flat())].map((stem) => [stem, sentenceStems.map((_, sentence) => tfidf.tfidf([stem], sentence))]);
}

export class SentenceRetriever {
  /** Stem -> its TF-IDF weight in each sentence; a stem in no sentence weighs nothing anywhere. */
  private readonly weights: ReadonlyMap<string, Float64Array>;
  private readonly stemSets: ReadonlySet<string>[];

  /** `weights`: sentenceWeights() of these same sentences. */
  constructor(sentenceStems: readonly string[][], weights: readonly [string, number[]][] = sentenceWeights(sentenceStems)) {
    this.weights = new Map(weights.map(([stem, row]) => [stem, Float64Array.from(row)]));
    this.stemSets = sentenceStems.map((stems) => new Set(stems));
  }

  /** Each sentence's TF-IDF score for these (distinct) stems. */
  scores(stems: readonly string[]): Float64Array {
    const scores = new Float64Array(this.stemSets.length);
    for (const stem of stems) {
      const row = this.weights.get(stem);
      if (row) for (let s = 0; s < scores.length; s++) scores[s]! += row[s]!;
    }
    return scores;
  }

  best(contentStems: readonly string[]): PassageMatch | null {
    const unique = [...new Set(contentStems)];
    if (unique.length === 0 || this.stemSets.length === 0) return null;
    const scores = this.scores(unique);
    let index = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[index]!) index = i;
    const matched = unique.filter((stem) => this.stemSets[index]!.has(stem)).length;
    return { index, score: scores[index]!, coverage: matched / unique.length, matched };
  }
}
