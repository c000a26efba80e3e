/** From text to classifier features: normalise, correct typos, drop function words, stem (natural's Porter stemmer). */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { Normalizer } from './normalize.js';
import { SpellingCorrector } from './spelling.js';

/** Function words: they carry no topic, so they neither count as evidence nor as unknown words. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the of to in on at for from by with about into over after before under as than then so if or and but not no ' +
    'is are was were be been being am do does did doing done have has had having will would shall should can cannot could may might must ' +
    'i me my mine myself you your yours we us our they them their he him his she her it its this that these those there here ' +
    'what which who whom whose how why when where whats hows just also any some very really please tell know want wonder wondering ' +
    'like get got need ok okay yes yeah um uh ur u pls plz thing things stuff something anything much many more most lot lots bit ' +
    // dose units, like numbers, name no topic
    'mg mcg ml'
  ).split(' '),
);

/** Words the Porter stemmer merges with a different word: "evening" is not "even". */
const STEM_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['evening', 'evening'],
  ['evenings', 'evening'],
]);

/** Function words that shape a question: they tell "what is" from "how does" and "should i". */
const QUESTION_WORDS: ReadonlySet<string> = new Set('what how why when where who which can cannot could should would will does do did is are i my me you'.split(' '));

export interface FeatureOptions {
  /** Which function words become features: all of them, only question-shaping ones, or none. */
  functionWords: 'all' | 'questions' | 'none';
  /** Add pairs of neighbouring words as features: of content stems only, or of all words ("how_long"). */
  bigrams: 'none' | 'content' | 'all';
  /**
   * Mark content words that are rare (seen at most once) or unknown with a feature of their own:
   * unknown words are evidence that a question is out of scope, which naive Bayes otherwise ignores.
   */
  rareWords: boolean;
}

const RARE_WORD = '<rare>';
const RARE_WORDS = '<rare2>';

export interface Analysis {
  /** Unique classifier features. */
  features: string[];
  /** Stems of the content words (not function words). */
  contentStems: string[];
}

/** Up to this many features a scan is quicker than hashing; most questions have about ten. */
const SCAN_LIMIT = 24;

/** Distinct strings in insertion order. */
class DistinctList {
  readonly items: string[] = [];
  private index: Set<string> | null = null;

  add(item: string): void {
    if (this.index ? this.index.has(item) : this.items.includes(item)) return;
    this.items.push(item);
    this.index?.add(item);
    if (!this.index && this.items.length > SCAN_LIMIT) this.index = new Set(this.items);
  }
}

/** What the featurizer knows about one normalised word; computed once per distinct word. */
interface WordInfo {
  stem: string;
  /** A function word: kept as a feature (as itself) or dropped, never a content stem. */
  isFunctionWord: boolean;
  keptAsFeature: boolean;
  /** Seen at most once in the training texts (typo-corrected first). */
  rare: boolean;
}

/** Distinct words remembered; cleared when full, so odd input cannot grow memory without bound. */
const WORD_CACHE_LIMIT = 20_000;

export class Featurizer {
  private readonly speller: SpellingCorrector;
  private readonly wordInfo = new Map<string, WordInfo>();

  constructor(
    readonly normalizer: Normalizer,
    /** How often each normalised word occurs in the training texts: the known vocabulary. */
    readonly wordCounts: ReadonlyMap<string, number>,
    readonly options: FeatureOptions,
  ) {
    this.speller = new SpellingCorrector(wordCounts);
  }

  /** The known word a typo stands for, or null when the word is known already or nothing is close. */
  spellingOf(word: string): string | null {
    return this.speller.correct(word);
  }

  analyze(text: string): Analysis {
    return this.analyzeWords(this.normalizer.tokens(text));
  }

  /** Like analyze(), for words already normalised. Features: the words' own, then bigrams, then rare-word marks. */
  analyzeWords(normalizedWords: readonly string[]): Analysis {
    const { bigrams, rareWords } = this.options;
    const features = new DistinctList();
    const contentStems: string[] = [];
    const terms: string[] = [];
    let rare = 0;
    for (const word of normalizedWords) {
      const info = this.infoOf(word);
      if (bigrams === 'all') terms.push(info.stem);
      if (info.isFunctionWord) {
        if (info.keptAsFeature) features.add(info.stem);
        continue;
      }
      contentStems.push(info.stem);
      features.add(info.stem);
      if (info.rare) rare++;
    }
    if (bigrams !== 'none') {
      const pairs = bigrams === 'all' ? terms : contentStems;
      for (let i = 1; i < pairs.length; i++) features.add(`${pairs[i - 1]}_${pairs[i]}`);
    }
    if (rareWords && rare >= 1) features.add(RARE_WORD);
    if (rareWords && rare >= 2) features.add(RARE_WORDS);
    return { features: features.items, contentStems };
  }

  private infoOf(word: string): WordInfo {
    let info = this.wordInfo.get(word);
    if (info === undefined) {
      info = this.describe(this.speller.correct(word) ?? word);
      if (this.wordInfo.size >= WORD_CACHE_LIMIT) this.wordInfo.clear();
      this.wordInfo.set(word, info);
    }
    return info;
  }

  private describe(word: string): WordInfo {
    // A bare number ("0 5" of "0.5 mg") names no topic: it counts like a function word.
    const isFunctionWord = FUNCTION_WORDS.has(word) || /^\p{N}+$/u.test(word);
    const { functionWords } = this.options;
    return {
      // Function words stay as they are: "does" and "doe" would otherwise be one feature.
      stem: isFunctionWord ? word : (STEM_EXCEPTIONS.get(word) ?? PorterStemmer.stem(word)),
      isFunctionWord,
      keptAsFeature: isFunctionWord && (functionWords === 'all' || (functionWords === 'questions' && QUESTION_WORDS.has(word))),
      rare: (this.wordCounts.get(word) ?? 0) <= 1,
    };
  }
}
