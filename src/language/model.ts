/** Builds the language model from content: normaliser, featurizer, classifier (trained, calibrated), retriever. */
import type { Content } from '../content/load.js';
import { IntentClassifier, type ClassifierSnapshot, type TrainingExample } from './classifier.js';
import { Featurizer, type FeatureOptions } from './features.js';
import { Normalizer } from './normalize.js';
import { SentenceRetriever } from './retrieval.js';

export interface ModelOptions extends FeatureOptions {
  smoothing: number;
}

/** Chosen by `npm run eval` (k-fold and held-out accuracy over the variants it compares). */
export const DEFAULT_MODEL_OPTIONS: ModelOptions = { functionWords: 'all', bigrams: 'content', rareWords: true, smoothing: 0.05 };

export interface LanguageModel {
  normalizer: Normalizer;
  featurizer: Featurizer;
  classifier: IntentClassifier;
  retriever: SentenceRetriever;
  /** Stems of every content word the in-scope intents and the document use. */
  inScopeStems: ReadonlySet<string>;
  /** Each training utterance, normalised, with its intent: an exact match needs no classifier. */
  utteranceIntents: ReadonlyMap<string, string>;
}

interface Utterance {
  intent: string;
  inScope: boolean;
  words: string[];
}

function normalizedUtterances(content: Content, normalizer: Normalizer): Utterance[] {
  return content.intents.flatMap((intent) =>
    intent.utterances.map((utterance) => ({ intent: intent.id, inScope: intent.kind !== 'none', words: normalizer.tokens(utterance) })),
  );
}

function featurizerFor(content: Content, normalizer: Normalizer, utterances: readonly Utterance[], options: FeatureOptions): Featurizer {
  return new Featurizer(normalizer, [...utterances.map((u) => u.words), ...content.sentences.map((s) => normalizer.tokens(s.text))], options);
}

/** The classifier's training examples: every utterance with its features. */
export function trainingExamples(content: Content, featurizer: Featurizer): TrainingExample[] {
  return normalizedUtterances(content, featurizer.normalizer).map((u) => ({ features: featurizer.analyzeWords(u.words).features, label: u.intent }));
}

/** Builds the model; with `trained`, a snapshot of the classifier trained on this same content, training is skipped. */
export function buildLanguageModel(content: Content, options: ModelOptions = DEFAULT_MODEL_OPTIONS, trained?: ClassifierSnapshot): LanguageModel {
  const normalizer = new Normalizer(content.lexicon.synonyms);
  const utterances = normalizedUtterances(content, normalizer);
  const featurizer = featurizerFor(content, normalizer, utterances, options);
  const analyses = utterances.map((u) => featurizer.analyzeWords(u.words));
  const classifier = trained
    ? new IntentClassifier(trained)
    : IntentClassifier.train(analyses.map((a, i) => ({ features: a.features, label: utterances[i]!.intent })), options).classifier;
  const sentenceStems = content.sentences.map((s) => featurizer.analyze(s.text).contentStems);
  const inScopeStems = new Set([...sentenceStems.flat(), ...analyses.filter((_, i) => utterances[i]!.inScope).flatMap((a) => a.contentStems)]);
  return {
    normalizer,
    featurizer,
    classifier,
    retriever: new SentenceRetriever(sentenceStems),
    inScopeStems,
    utteranceIntents: new Map(utterances.map((u) => [u.words.join(' '), u.intent])),
  };
}
