/**
 * Intent classifier: natural's BayesClassifier learns the counts; they are then compiled into
 * per-feature weights, which score as natural does (in log space) but without building a dense
 * vector of the whole vocabulary for every question. The compiled form is plain data, so a
 * trained classifier can be saved and restored.
 */
import { createRequire } from 'node:module';
import type BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';

// Loaded only to train: a start-up from a cached snapshot never needs it.
const require = createRequire(import.meta.url);
const loadBayesClassifier = () => require('natural/lib/natural/classifiers/bayes_classifier.js') as typeof BayesClassifier;

export interface TrainingExample {
  features: readonly string[];
  label: string;
}

export interface Ranked {
  label: string;
  probability: number;
}

export interface ClassifierOptions {
  smoothing: number;
}

export interface Calibration {
  /**
   * Softmax temperatures fitted on leave-one-out predictions, one per band of known-feature
   * counts (see FEATURE_BANDS): a long question piles up evidence, a one-word one does not.
   */
  temperatures: number[];
  /** Leave-one-out accuracy over the training examples. */
  looAccuracy: number;
}

/** A trained classifier as plain data: per label the weight of an unseen feature, per feature only the labels that saw it. */
export interface ClassifierSnapshot {
  labels: string[];
  logPriors: number[];
  unseenWeights: number[];
  features: string[];
  /** Feature i's labels and weights are at starts[i] up to starts[i + 1] of seenLabels and seenWeights. */
  starts: number[];
  seenLabels: number[];
  seenWeights: number[];
  calibration: Calibration;
}

/** exp(-40) < 1e-17: beside the top label's exp(0) = 1, a term this small cannot change a probability. */
const NEGLIGIBLE = -40;

/** Upper bounds (inclusive) of the known-feature counts that share a temperature. */
const FEATURE_BANDS = [2, 5, 9, Infinity];
/** A band with fewer examples than this borrows the temperature fitted on all of them. */
const MIN_BAND_EXAMPLES = 25;

function bandOf(knownFeatures: number): number {
  let band = 0;
  while (knownFeatures > FEATURE_BANDS[band]!) band++;
  return band;
}

export class IntentClassifier {
  readonly labels: readonly string[];
  readonly calibration: Calibration;
  private readonly logPriors: Float64Array;
  private readonly unseenWeights: Float64Array;
  /**
   * Only the labels that saw a feature, with their weights: most features were seen by one label,
   * and a dense row of every label's weight per feature made a table of 1.2 MB, read cache-cold
   * between a server's turns. Feature i's pairs are at starts[i] up to starts[i + 1].
   */
  readonly featureIndex: ReadonlyMap<string, number>;
  private readonly starts: Uint32Array;
  private readonly seenLabels: Uint16Array;
  private readonly seenWeights: Float64Array;
  /**
   * The scores of the question in hand, reused: between a server's turns the allocator's code is out
   * of the CPU caches, and allocating a typed array per question then cost as much as the scoring.
   */
  private readonly scores: Float64Array;

  constructor(snapshot: ClassifierSnapshot) {
    this.labels = snapshot.labels;
    this.calibration = snapshot.calibration;
    this.logPriors = new Float64Array(snapshot.logPriors);
    this.scores = new Float64Array(this.labels.length);
    this.unseenWeights = new Float64Array(snapshot.unseenWeights);
    this.featureIndex = new Map(snapshot.features.map((feature, i) => [feature, i]));
    this.starts = Uint32Array.from(snapshot.starts);
    this.seenLabels = Uint16Array.from(snapshot.seenLabels);
    this.seenWeights = Float64Array.from(snapshot.seenWeights);
  }

  /** Trains natural's BayesClassifier, compiles it and calibrates its confidence. */
  static train(examples: readonly TrainingExample[], options: ClassifierOptions): { classifier: IntentClassifier; natural: BayesClassifier } {
    const natural = new (loadBayesClassifier())(undefined, options.smoothing);
    for (const example of examples) natural.addDocument([...new Set(example.features)], example.label);
    natural.textToFeatures = denseFeaturesOf(natural);
    natural.train();
    const compiled = compile(natural);
    const calibration = calibrate(natural, compiled.labels, examples);
    return { classifier: new IntentClassifier({ ...compiled, calibration }), natural };
  }

  snapshot(): ClassifierSnapshot {
    return {
      ...this.tables(),
      features: [...this.featureIndex.keys()],
      starts: [...this.starts],
      seenLabels: [...this.seenLabels],
      seenWeights: [...this.seenWeights],
      calibration: this.calibration,
    };
  }

  private tables(): Pick<ClassifierSnapshot, 'labels' | 'logPriors' | 'unseenWeights'> {
    return { labels: [...this.labels], logPriors: [...this.logPriors], unseenWeights: [...this.unseenWeights] };
  }

  /** Log scores per label, equal to the log of natural's getClassifications() values. */
  logScores(features: readonly string[]): Float64Array {
    this.score(features);
    return this.scores.slice();
  }

  /** Calibrated probabilities, best first. */
  rank(features: readonly string[], top = 3): Ranked[] {
    return this.ranking(this.score(features), top);
  }

  /** Like rank(), but empty when the classifier knows none of the features: there is no evidence to rank by. */
  rankByEvidence(features: readonly string[], top = 3): Ranked[] {
    const known = this.score(features);
    return known === 0 ? [] : this.ranking(known, top);
  }

  /** The calibrated ranking of the scores in hand, `known` features strong. */
  private ranking(known: number, top: number): Ranked[] {
    const { scores } = this;
    const temperature = this.calibration.temperatures[bandOf(known)]!;
    const best = topIndices(scores, top);
    // Softmax, computed only for the labels returned; a label this far below the best adds less than 1e-17.
    const max = scores[best[0]!]!;
    let sum = 0;
    for (let c = 0; c < scores.length; c++) {
      const shifted = (scores[c]! - max) / temperature;
      if (shifted > NEGLIGIBLE) sum += Math.exp(shifted);
    }
    return best.map((c) => ({ label: this.labels[c]!, probability: Math.exp((scores[c]! - max) / temperature) / sum }));
  }

  /**
   * Fills `scores` with the features' log score per label; returns how many features the classifier
   * knows. Each known feature adds every label's unseen weight, except where the label saw it.
   */
  private score(features: readonly string[]): number {
    const { scores, logPriors, unseenWeights, starts, seenLabels, seenWeights } = this;
    scores.fill(0);
    let known = 0;
    for (let f = 0; f < features.length; f++) {
      const i = this.featureIndex.get(features[f]!);
      if (i === undefined) continue;
      known++;
      for (let p = starts[i]!; p < starts[i + 1]!; p++) scores[seenLabels[p]!]! += seenWeights[p]! - unseenWeights[seenLabels[p]!]!;
    }
    for (let c = 0; c < scores.length; c++) scores[c]! += logPriors[c]! + known * unseenWeights[c]!;
    return known;
  }
}

/** Feature -> position in natural's dense vectors (the order of its vocabulary). */
export function featureIndexOf(natural: BayesClassifier): Map<string, number> {
  return new Map(Object.keys(natural.features).map((feature, i) => [feature, i]));
}

/** natural's Classifier builds each dense 0/1 vector by scanning the vocabulary per feature; an index builds the same vector in one pass. */
function denseFeaturesOf(natural: BayesClassifier): (observation: string[]) => number[] {
  let index: Map<string, number> | null = null;
  // One vector, reused: natural's training reads each document's vector before asking for the next,
  // and a fresh vocabulary-sized array per document made training time grow with the square of the data.
  let dense: number[] = [];
  let set: number[] = [];
  return (observation) => {
    index ??= featureIndexOf(natural);
    if (dense.length !== index.size) dense = new Array<number>(index.size).fill(0);
    for (const i of set) dense[i] = 0;
    set = [];
    for (const feature of observation) {
      const i = index.get(feature);
      if (i !== undefined) {
        dense[i] = 1;
        set.push(i);
      }
    }
    return dense;
  };
}

/** Weights log(count / classTotal), natural's own formula, with natural's smoothing as the count of an unseen pair. */
function compile(natural: BayesClassifier): Omit<ClassifierSnapshot, 'calibration'> {
  const model = natural.classifier;
  const labels = Object.keys(model.classFeatures);
  const totals = labels.map((label) => model.classTotals[label]!);
  const features = Object.keys(natural.features);
  const pairs = features.map((): number[] => []);
  labels.forEach((label, c) => {
    for (const [index, count] of Object.entries(model.classFeatures[label]!)) pairs[Number(index)]!.push(c, Math.log(count / totals[c]!));
  });
  const starts = [0];
  for (const labelWeights of pairs) starts.push(starts[starts.length - 1]! + labelWeights.length / 2);
  return {
    labels,
    logPriors: totals.map((total) => Math.log(total / model.totalExamples)),
    unseenWeights: totals.map((total) => Math.log(model.smoothing / total)),
    features,
    starts,
    seenLabels: pairs.flatMap((labelWeights) => labelWeights.filter((_, j) => j % 2 === 0)),
    seenWeights: pairs.flatMap((labelWeights) => labelWeights.filter((_, j) => j % 2 === 1)),
  };
}

/**
 * Fits the softmax temperature on leave-one-out predictions over the training examples, so
 * that a confidence of 0.8 is right about 80% of the time. Exact and cheap for naive Bayes:
 * leaving one example out only subtracts its own counts.
 */
function calibrate(natural: BayesClassifier, labels: readonly string[], examples: readonly TrainingExample[]): Calibration {
  const featureIndex = featureIndexOf(natural);
  const outOfFold = examples.map((example) => {
    const { scores, known } = leaveOneOutScores(natural, featureIndex, labels, example);
    const max = Math.max(...scores);
    return { shifted: scores.map((s) => s - max), label: labels.indexOf(example.label), band: bandOf(known) };
  });
  const overall = fittedTemperature(outOfFold);
  const temperatures = FEATURE_BANDS.map((_, band) => {
    const inBand = outOfFold.filter((o) => o.band === band);
    return inBand.length >= MIN_BAND_EXAMPLES ? fittedTemperature(inBand) : overall;
  });
  const correct = outOfFold.filter(({ shifted, label }) => shifted[label] === 0).length;
  return { temperatures, looAccuracy: correct / Math.max(1, examples.length) };
}

/** The temperature that minimises the negative log-likelihood of the true labels. */
function fittedTemperature(predictions: readonly { shifted: number[]; label: number }[]): number {
  const loss = (temperature: number) =>
    predictions.reduce((sum, { shifted, label }) => {
      let total = 0;
      for (const s of shifted) total += Math.exp(s / temperature);
      return sum - (shifted[label]! / temperature - Math.log(total));
    }, 0);
  return Math.exp(goldenSectionMinimum((logT) => loss(Math.exp(logT)), Math.log(0.2), Math.log(30)));
}

export function leaveOneOutScores(
  natural: BayesClassifier,
  featureIndex: ReadonlyMap<string, number>,
  labels: readonly string[],
  example: TrainingExample,
): { scores: number[]; known: number } {
  const model = natural.classifier;
  // Features seen only in this example vanish from the vocabulary when it is left out.
  const indices = [...new Set(example.features)].filter((f) => natural.features[f]! > 1).map((f) => featureIndex.get(f)!);
  const total = model.totalExamples - 1;
  const scores = labels.map((label) => {
    const removed = label === example.label ? 1 : 0;
    const classTotal = model.classTotals[label]! - removed;
    let score = Math.log(classTotal / total);
    for (const index of indices) {
      const count = (model.classFeatures[label]![index] ?? model.smoothing) - removed;
      score += Math.log(Math.max(count, model.smoothing) / classTotal);
    }
    return score;
  });
  return { scores, known: indices.length };
}

/** The minimum of a unimodal function on [low, high], one evaluation per step. */
function goldenSectionMinimum(f: (x: number) => number, low: number, high: number, iterations = 30): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [low, high];
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let [fc, fd] = [f(c), f(d)];
  for (let i = 0; i < iterations; i++) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** The indices of the `count` largest values, largest first (ties: the lower index). */
function topIndices(values: Float64Array, count: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (order.length === count && value <= values[order[count - 1]!]!) continue;
    let at = order.length === count ? count - 1 : order.length;
    while (at > 0 && value > values[order[at - 1]!]!) {
      order[at] = order[at - 1]!;
      at--;
    }
    order[at] = i;
  }
  return order;
}
