/**
 * "Is this a crisis message?", learned from the training texts: a two-class naive Bayes over the
 * classifier's features, the crisis intents' utterances against all the others pooled.
 *
 * The intent classifier weighs a message against each intent on its own, so a request that shares
 * one word with the crisis messages ("wake me up at five") can rank a crisis intent first. Pooled,
 * every everyday text that uses the word counts against it, and the score sums the evidence of all
 * the words the training texts know: indirect wording ("my note is on the kitchen table") is
 * recognised by what it resembles, not by a listed phrase.
 */
import type { TrainingExample } from './classifier.js';

/** Add-alpha smoothing of the feature counts; chosen with the crisis writers' cross-validation. */
const SMOOTHING = 0.5;

/** What the model cache keeps: the weights in the order of a feature index kept elsewhere (the classifier's). */
export interface CrisisWeights {
  /** log(crisis examples / other examples). */
  logPriorRatio: number;
  /** At feature i's position, its log-likelihood ratio, crisis against the rest. */
  weights: number[];
}

/** Each known feature's position in a weight table: the classifier's, shared, so the features are held once. */
export type FeatureIndex = ReadonlyMap<string, number>;

export class CrisisModel {
  private constructor(
    private readonly logPriorRatio: number,
    private readonly index: FeatureIndex,
    private readonly weights: Float64Array,
  ) {}

  /** A model whose weights follow `index`'s order (see weightsAlong()). */
  static sharing(index: FeatureIndex, { logPriorRatio, weights }: CrisisWeights): CrisisModel {
    return new CrisisModel(logPriorRatio, index, Float64Array.from(weights));
  }

  static train(examples: readonly TrainingExample[], isCrisis: (label: string) => boolean): CrisisModel {
    const crisis = featureCounts(examples.filter((e) => isCrisis(e.label)));
    const other = featureCounts(examples.filter((e) => !isCrisis(e.label)));
    const vocabularySize = new Set([...crisis.counts.keys(), ...other.counts.keys()]).size;
    const logLikelihood = (side: FeatureCounts, feature: string) => Math.log(((side.counts.get(feature) ?? 0) + SMOOTHING) / (side.total + SMOOTHING * vocabularySize));
    const features = [...new Set([...crisis.counts.keys(), ...other.counts.keys()])];
    return new CrisisModel(
      Math.log(crisis.examples / other.examples),
      new Map(features.map((feature, i) => [feature, i])),
      Float64Array.from(features, (f) => logLikelihood(crisis, f) - logLikelihood(other, f)),
    );
  }

  /** Log-odds that the message is a crisis message; features no training text has are no evidence either way. */
  score(features: readonly string[]): number {
    let score = this.logPriorRatio;
    for (const feature of features) {
      const i = this.index.get(feature);
      if (i !== undefined) score += this.weights[i]!;
    }
    return score;
  }

  /** The weights in the order of `features` (a feature this model never saw weighs 0), to be used with sharing(). */
  weightsAlong(features: readonly string[]): CrisisWeights {
    return {
      logPriorRatio: this.logPriorRatio,
      weights: features.map((feature) => {
        const i = this.index.get(feature);
        return i === undefined ? 0 : this.weights[i]!;
      }),
    };
  }
}

interface FeatureCounts {
  examples: number;
  /** Feature occurrences in all the examples together. */
  total: number;
  counts: Map<string, number>;
}

function featureCounts(examples: readonly TrainingExample[]): FeatureCounts {
  const counts = new Map<string, number>();
  let total = 0;
  for (const { features } of examples) {
    for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
    total += features.length;
  }
  return { examples: examples.length, total, counts };
}
