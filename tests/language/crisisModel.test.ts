import { describe, expect, it } from 'vitest';
import { CrisisModel, type CrisisWeights } from '../../src/language/crisisModel.js';
import { projectEngine } from '../support/engine.js';

const { engine } = projectEngine();
const { crisisModel, featurizer } = engine.model;
const logOdds = (text: string) => crisisModel.score(featurizer.analyze(text).features);

describe('the crisis model (two-class naive Bayes, crisis intents against the rest)', () => {
  it('counts a feature for the side whose texts use it, and an unknown feature for neither', () => {
    const model = CrisisModel.train(
      [
        { features: ['note', 'goodbye'], label: 'crisis' },
        { features: ['alarm', 'goodbye'], label: 'other' },
        { features: ['alarm'], label: 'other' },
      ],
      (label) => label === 'crisis',
    );
    const prior = model.score([]);
    expect(prior).toBeCloseTo(Math.log(1 / 2), 10);
    expect(model.score(['note'])).toBeGreaterThan(prior);
    expect(model.score(['alarm'])).toBeLessThan(prior);
    expect(model.score(['zebra'])).toBe(prior);
  });

  it('scores indirect crisis wording far above everyday requests that share its words', () => {
    expect(logOdds('i have written my note and given the dog to my sister')).toBeGreaterThan(logOdds('wake me up at six tomorrow'));
    expect(logOdds('i have written my note and given the dog to my sister')).toBeGreaterThan(logOdds('set an alarm and turn off the lights'));
  });

  it("survives the model cache: its weights in the classifier's feature order, read through the classifier's index", () => {
    const { featureIndex } = engine.model.classifier;
    const cached = JSON.parse(JSON.stringify(crisisModel.weightsAlong([...featureIndex.keys()]))) as CrisisWeights;
    const restored = CrisisModel.sharing(featureIndex, cached);
    const features = featurizer.analyze('i cannot do this anymore, the pills are counted out').features;
    expect(restored.score(features)).toBe(crisisModel.score(features));
  });
});
