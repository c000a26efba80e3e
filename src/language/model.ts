/**
 * The language model: normaliser, featurizer, classifier (trained, calibrated), retriever.
 * learnLanguage() does the costly part once and returns it as plain data (a snapshot);
 * languageModelFrom() turns a snapshot back into a working model, which a restart does from cache.
 */
import { crisisIntentIds } from '../content/crisis.js';
import type { Content } from '../content/load.js';
import { IntentClassifier, type ClassifierSnapshot, type TrainingExample } from './classifier.js';
import { CrisisModel, type CrisisWeights } from './crisisModel.js';
import { Featurizer, type FeatureOptions } from './features.js';
import { Normalizer } from './normalize.js';
import { SentenceRetriever, sentenceWeights } from './retrieval.js';

export interface ModelOptions extends FeatureOptions {
  smoothing: number;
}

/** Chosen on the blind sets' dev part and a third of HWU64 (right answers against false accepts), never the locked part. */
export const DEFAULT_MODEL_OPTIONS: ModelOptions = { functionWords: 'questions', bigrams: 'all', rareWords: true, smoothing: 0.05 };

/** Everything learned from the content's texts, as plain data. */
export interface LanguageSnapshot {
  options: ModelOptions;
  classifier: ClassifierSnapshot;
  /** The crisis model's weights in the classifier's feature order: the two models know the same features, listed once. */
  crisisModel: CrisisWeights;
  /** How often each normalised word occurs in the training texts and the document. */
  wordCounts: [string, number][];
  /** The content stems of each document sentence, in order. */
  sentenceStems: string[][];
  /** Each sentence stem's TF-IDF weight in every sentence. */
  sentenceWeights: [string, number[]][];
  inScopeStems: string[];
  /** Words the training texts use only in crisis messages: most are their writers' typos ("kil", "myslef"). */
  crisisOnlyWords: string[];
  /** Each intent with its training utterances, normalised. */
  utteranceIntents: [string, string[]][];
}

export interface LanguageModel {
  normalizer: Normalizer;
  featurizer: Featurizer;
  classifier: IntentClassifier;
  crisisModel: CrisisModel;
  retriever: SentenceRetriever;
  /** Stems of every content word the in-scope intents and the document use. */
  inScopeStems: ReadonlySet<string>;
  crisisOnlyWords: ReadonlySet<string>;
  /** Each training utterance, normalised, with its intent: an exact match needs no classifier. */
  utteranceIntents: ReadonlyMap<string, string>;
}

interface Utterance {
  intent: string;
  inScope: boolean;
  words: string[];
}

function normalizedUtterances(content: Content, normalizer: Normalizer): Utterance[] {
  return content.intents.flatMap((intent) => intent.utterances.map((utterance) => ({ intent: intent.id, inScope: intent.kind !== 'none', words: normalizer.tokens(utterance) })));
}

function countWords(texts: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const words of texts) for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** The featurizer that learnLanguage() uses, with the normalised utterances it read. */
function featurizerOf(content: Content, options: FeatureOptions): { featurizer: Featurizer; utterances: Utterance[]; sentenceWords: string[][] } {
  const normalizer = new Normalizer(content.lexicon.synonyms);
  const utterances = normalizedUtterances(content, normalizer);
  const sentenceWords = content.sentences.map((s) => normalizer.tokens(s.text));
  const featurizer = new Featurizer(normalizer, countWords([...utterances.map((u) => u.words), ...sentenceWords]), options);
  return { featurizer, utterances, sentenceWords };
}

/** The classifier's training examples: every utterance with its features. */
export function trainingExamples(content: Content, options: FeatureOptions = DEFAULT_MODEL_OPTIONS): TrainingExample[] {
  const { featurizer, utterances } = featurizerOf(content, options);
  return utterances.map((u) => ({ features: featurizer.analyzeWords(u.words).features, label: u.intent }));
}

/** Normalises every text, trains and calibrates the classifier: the costly part, done once per content. */
export function learnLanguage(content: Content, options: ModelOptions = DEFAULT_MODEL_OPTIONS): LanguageSnapshot {
  const { featurizer, utterances, sentenceWords } = featurizerOf(content, options);
  const analyses = utterances.map((u) => featurizer.analyzeWords(u.words));
  const examples = analyses.map((a, i) => ({ features: a.features, label: utterances[i]!.intent }));
  const { classifier } = IntentClassifier.train(examples, options);
  const classifierSnapshot = classifier.snapshot();
  const crisisIntents = crisisIntentIds(content);
  const sentenceStems = sentenceWords.map((words) => featurizer.analyzeWords(words).contentStems);
  const inScopeStems = new Set([...sentenceStems.flat(), ...analyses.filter((_, i) => utterances[i]!.inScope).flatMap((a) => a.contentStems)]);
  return {
    options,
    classifier: classifierSnapshot,
    crisisModel: CrisisModel.train(examples, (label) => crisisIntents.has(label)).weightsAlong(classifierSnapshot.features),
    wordCounts: [...featurizer.wordCounts],
    sentenceStems,
    sentenceWeights: sentenceWeights(sentenceStems),
    inScopeStems: [...inScopeStems],
    crisisOnlyWords: crisisOnlyWords(utterances, crisisIntents),
    utteranceIntents: content.intents.map((intent) => [intent.id, utterances.filter((u) => u.intent === intent.id).map((u) => u.words.join(' '))]),
  };
}

function crisisOnlyWords(utterances: readonly Utterance[], crisisIntents: ReadonlySet<string>): string[] {
  const wordsOf = (crisis: boolean) => new Set(utterances.filter((u) => crisisIntents.has(u.intent) === crisis).flatMap((u) => u.words));
  const elsewhere = wordsOf(false);
  return [...wordsOf(true)].filter((word) => !elsewhere.has(word));
}

/** A working model from a snapshot learned on this same content (the synonyms come from it). */
export function languageModelFrom(snapshot: LanguageSnapshot, synonyms: Readonly<Record<string, string>>): LanguageModel {
  const normalizer = new Normalizer(synonyms);
  const classifier = new IntentClassifier(snapshot.classifier);
  return {
    normalizer,
    featurizer: new Featurizer(normalizer, new Map(snapshot.wordCounts), snapshot.options),
    classifier,
    crisisModel: CrisisModel.sharing(classifier.featureIndex, snapshot.crisisModel),
    retriever: new SentenceRetriever(snapshot.sentenceStems, snapshot.sentenceWeights),
    inScopeStems: new Set(snapshot.inScopeStems),
    crisisOnlyWords: new Set(snapshot.crisisOnlyWords),
    utteranceIntents: new Map(snapshot.utteranceIntents.flatMap(([intent, texts]) => texts.map((text) => [text, intent] as const))),
  };
}
