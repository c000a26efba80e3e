/** The passage tier: TF-IDF (natural) over the document's sentences, with a coverage check. */
import TfIdf from 'natural/lib/natural/tfidf/tfidf.js';

export interface PassageMatch {
  index: number;
  score: number;
  /** Share of the question's content stems that the sentence contains. */
  coverage: number;
  /** How many distinct question stems the sentence contains. */
  matched: number;
}

export class SentenceRetriever {
  private readonly tfidf = new TfIdf();
  private readonly stemSets: ReadonlySet<string>[];

  constructor(sentenceStems: readonly string[][]) {
    for (const stems of sentenceStems) this.tfidf.addDocument([...stems]);
    this.stemSets = sentenceStems.map((stems) => new Set(stems));
  }

  best(contentStems: readonly string[]): PassageMatch | null {
    const unique = [...new Set(contentStems)];
    if (unique.length === 0) return null;
    const scores = this.tfidf.tfidfs(unique);
    let index = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[index]!) index = i;
    const matched = unique.filter((stem) => this.stemSets[index]!.has(stem)).length;
    return { index, score: scores[index]!, coverage: matched / unique.length, matched };
  }
}
