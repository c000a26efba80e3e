/**
 * The article names its generic product "Clonazepam 2mg". A patient can read that as a dose, so every
 * reply that shows the name, in its text or in the sentences it quotes, must say it is a product's name.
 */
import { describe, expect, it } from 'vitest';
import { projectEngine } from '../support/engine.js';

const { content, engine } = projectEngine();
const STRENGTH = /\b\d+(?:\.\d+)?\s?mg\b/i;
const SAYS_IT_IS_A_NAME = /name of the generic product .*not how much anyone should take/s;
const sentenceText = new Map(content.sentences.map((s) => [s.id, s.text]));

describe('"Clonazepam 2mg" reads as a product name, never a dose', () => {
  for (const response of content.responses.values()) {
    const shown = [response.label, response.text, ...response.sources.map((id) => sentenceText.get(id) ?? '')];
    if (!shown.some((text) => STRENGTH.test(text))) continue;
    it(`${response.intent} says the strength is part of the product's name`, () => {
      expect(engine.answer(response.label).text).toMatch(SAYS_IT_IS_A_NAME);
    });
  }

  it('the button asking about it does not read as a dose question', () => {
    expect(content.responses.get('about.generic_2mg')!.label).toMatch(/product "Clonazepam 2mg"/);
  });
});
