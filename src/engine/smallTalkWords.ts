/**
 * Small talk told by its words alone. A message of one or two words ("evening!", "cheers for
 * that") gives the classifier too little to weigh against thousands of training texts that use
 * the same words ("this evening I took..."), so a message made only of one small-talk intent's
 * words, with at least one of its core words, is that small talk.
 */
export interface SmallTalkWordsEntry {
  intent: string;
  /** Words that say it on their own ("bye", "cheers"). */
  core: readonly string[];
  /** Words that may come with them ("ok", "for", "now"). */
  also: readonly string[];
}

interface WordSets {
  intent: string;
  core: ReadonlySet<string>;
  allowed: ReadonlySet<string>;
}

export class SmallTalkWords {
  private readonly entries: WordSets[];

  constructor(entries: readonly SmallTalkWordsEntry[]) {
    this.entries = entries.map(({ intent, core, also }) => ({ intent, core: new Set(core), allowed: new Set([...core, ...also]) }));
  }

  /** The first intent (in the lexicon's order) whose words make up the whole message. */
  intentOf(words: readonly string[]): string | undefined {
    return this.entries.find((entry) => isMadeOf(words, entry))?.intent;
  }
}

export function isMadeOf(words: readonly string[], { core, allowed }: Pick<WordSets, 'core' | 'allowed'>): boolean {
  return words.length > 0 && words.every((word) => allowed.has(word)) && words.some((word) => core.has(word));
}
