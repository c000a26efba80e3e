import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { describe, expect, it } from 'vitest';
import { featureIndexOf, IntentClassifier, leaveOneOutScores } from '../../src/language/classifier.js';
import { DEFAULT_MODEL_OPTIONS, trainingExamples } from '../../src/language/model.js';
import { projectEngine } from '../support/engine.js';

const { content, engine } = projectEngine();
const { featurizer } = engine.model;
const examples = trainingExamples(content);
const { classifier, natural } = IntentClassifier.train(examples, DEFAULT_MODEL_OPTIONS);
const featureIndex = featureIndexOf(natural);

/** natural's own dense path, as its classify() takes it without our sparse shortcut. */
function naturalClassifications(features: string[]) {
  const dense = BayesClassifier.prototype.textToFeatures.call(natural, features);
  return natural.classifier.getClassifications(dense);
}

describe('the intent classifier (natural BayesClassifier, compiled)', () => {
  it('scores exactly as natural does, unseen words included', () => {
    for (const question of ['how long does klonopin stay working', 'is clonazepam habit forming', 'what does gaba do', 'zebra quantum']) {
      const features = featurizer.analyze(question).features;
      const expected = naturalClassifications(features);
      const ours = classifier.logScores(features);
      for (const { label, value } of expected) {
        if (value > 1e-300) expect(ours[classifier.labels.indexOf(label)]).toBeCloseTo(Math.log(value), 6);
      }
      expect(classifier.rank(features, 1)[0]!.label).toBe(expected[0]!.label);
    }
  });

  it('is the classifier the engine uses, and survives a snapshot round trip', () => {
    const features = featurizer.analyze('what happens if i stop clonazepam suddenly').features;
    expect(engine.model.classifier.rank(features)).toEqual(classifier.rank(features));
    const restored = new IntentClassifier(JSON.parse(JSON.stringify(classifier.snapshot())) as ReturnType<typeof classifier.snapshot>);
    expect(restored.rank(features)).toEqual(classifier.rank(features));
  });

  it('returns calibrated probabilities that sum to at most 1, best first', () => {
    const ranked = classifier.rank(featurizer.analyze('what is the half life of clonazepam').features, 5);
    expect(ranked).toHaveLength(5);
    expect(ranked[0]!.label).toBe('pharmacokinetics.half_life');
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.probability).toBeLessThanOrEqual(ranked[i - 1]!.probability);
    expect(ranked.reduce((sum, r) => sum + r.probability, 0)).toBeLessThanOrEqual(1 + 1e-9);
    for (const temperature of classifier.calibration.temperatures) expect(temperature).toBeGreaterThan(0.2);
  });

  it('computes leave-one-out scores exactly (the same as retraining without the example)', () => {
    // Retraining is the costly part: a dozen examples spread over every intent's texts.
    const step = Math.ceil(examples.length / 12);
    for (const example of examples.filter((_, i) => i % step === 0)) {
      const retrained = IntentClassifier.train(
        examples.filter((e) => e !== example),
        DEFAULT_MODEL_OPTIONS,
      ).classifier;
      const { scores } = leaveOneOutScores(natural, featureIndex, classifier.labels, example);
      expect(classifier.labels[scores.indexOf(Math.max(...scores))]).toBe(retrained.rank(example.features, 1)[0]!.label);
    }
  }, 180_000);
});
