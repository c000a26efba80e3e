/**
 * Crisis messages in Spanish, French, German, Portuguese and Italian by blind writers
 * (tests/data/briefs/foreign-crisis-writer.md; five writers). The rules were written from them, each file after
 * it had been scored unseen (README, "Accuracy and speed"): this guards what they taught, it does
 * not measure new wording.
 */
import { describe, expect, it } from 'vitest';
import { projectEngine, testData } from '../support/engine.js';

interface ForeignWriterFile {
  crisis: Record<string, string[]>;
  not_crisis: Record<string, string[]>;
}

const { engine } = projectEngine();
const files = ['foreign-a', 'foreign-b', 'foreign-c', 'foreign-d', 'foreign-e', 'foreign-f'].map((name) => testData<ForeignWriterFile>(`foreign/${name}.yaml`));
const crisis = files.flatMap((file) => Object.values(file.crisis).flat());
const lookAlikes = files.flatMap((file) => Object.values(file.not_crisis).flat());
const isCrisisReply = (question: string) => engine.isCrisis(engine.answer(question));

describe('crisis messages in other languages', () => {
  it('get a crisis reply, at least 98% of the 1100 in five languages', () => {
    expect(crisis.length).toBe(1100);
    expect(crisis.filter(isCrisisReply).length / crisis.length).toBeGreaterThanOrEqual(0.98);
  });

  it('while their look-alikes (idioms, dose questions, everyday requests) get none', () => {
    expect(lookAlikes.length).toBe(360);
    expect(lookAlikes.filter(isCrisisReply)).toEqual([]);
  });
});
