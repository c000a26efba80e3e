import { describe, expect, it } from 'vitest';
import { isMadeOf, SmallTalkWords } from '../../src/engine/smallTalkWords.js';
import { projectEngine } from '../support/engine.js';

const goodbye = { core: new Set(['bye', 'night']), allowed: new Set(['bye', 'night', 'ok', 'for', 'now']) };

describe('a message made of one small-talk intent’s words', () => {
  it.each([
    [['bye'], true],
    [['ok', 'bye', 'for', 'now'], true],
    [['ok', 'for', 'now'], false], // no core word
    [['bye', 'forever'], false], // one word outside the list
    [[], false],
  ])('%j -> %s', (words, expected) => {
    expect(isMadeOf(words, goodbye)).toBe(expected);
  });

  it('takes the first intent in the lexicon’s order that fits', () => {
    const words = new SmallTalkWords([
      { intent: 'smalltalk.goodbye', core: ['bye'], also: ['thanks', 'ok'] },
      { intent: 'smalltalk.thanks', core: ['thanks'], also: ['ok'] },
    ]);
    expect(words.intentOf(['ok', 'thanks', 'bye'])).toBe('smalltalk.goodbye');
    expect(words.intentOf(['ok', 'thanks'])).toBe('smalltalk.thanks');
    expect(words.intentOf(['thanks', 'for', 'the', 'dose', 'info'])).toBeUndefined();
  });
});

describe('short small talk through the project engine', () => {
  const { engine } = projectEngine();

  it.each([
    ['afternoon!', 'smalltalk.greeting'],
    ['yo bot', 'smalltalk.greeting'],
    ['cheers for the help', 'smalltalk.thanks'],
    ['ok cool ta', 'smalltalk.thanks'],
    ['nite nite', 'smalltalk.goodbye'],
    ['ok ta bye', 'smalltalk.goodbye'],
  ])('%s -> %s', (question, intent) => {
    expect(engine.answer(question)).toMatchObject({ kind: 'smalltalk', intent });
  });

  it.each(['goodbye forever', 'goodbye everyone, i took everything', 'thanks for everything, i took all my pills'])('a farewell of a crisis stays a crisis: %s', (question) => {
    expect(engine.isCrisis(engine.answer(question))).toBe(true);
  });

  it('leaves a question that only starts with a greeting to the classifier', () => {
    expect(engine.answer('hi, how long does clonazepam stay in your system?').kind).toBe('answer');
  });
});
