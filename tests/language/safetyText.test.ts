import { describe, expect, it } from 'vitest';
import { SafetyTextFolder } from '../../src/language/safetyText.js';

const VOCABULARY = new Set(
  'i a want to die kill myself end ending git it all ab tonight going am suicidal pills took the whole bottle of my clonazepam what is dose tall wanttodie'.split(' '),
);
const CRISIS_WORDS = new Set(['die', 'kill', 'myself', 'end', 'suicidal']);
const folder = new SafetyTextFolder(
  (word) => VOCABULARY.has(word),
  (word) => CRISIS_WORDS.has(word),
);

describe('the safety text folder', () => {
  it.each([
    ['leetspeak', 'i want to k1ll mys3lf', 'i want to kill myself'],
    ['a 1 for an l', 'ki11 myself', 'kill myself'],
    ['stretched letters', 'i want to dieeee', 'i want to die'],
    ['masked letters', 'k*ll myself', 'kill myself'],
    ['spaced letters', 'k i l l myself', ' kill  myself'],
    ['spaced letters with wider gaps between words', 'e n d i n g  i t', ' ending it '],
    ['an emoji that stands for a means', '🪢 tonight', ' noose  tonight'],
    ['dotted letters with a symbol for a letter', '$ u i c i d a l', ' suicidal '],
    ['zero-width characters', 'ki\u200bll myself', 'kill myself'],
    ['Cyrillic look-alikes', 'kіll myѕelf', 'kill myself'],
    ['a symbol between letters, even where no known word results (the typo pass reads it)', 'thinking of d!ing', 'thinking of diing'],
  ])('undoes %s', (_, text, folded) => {
    expect(folder.fold(text)).toBe(folded);
  });

  it.each([
    ['plain text', 'what is the dose of clonazepam'],
    ['a dose with its unit', 'i took 2mg tonight'],
    ['punctuation after a word', 'all set, goodbye!'],
  ])('leaves %s as it is', (_, text) => {
    expect(folder.fold(text)).toBe(text.toLowerCase());
  });

  it.each([
    ['words run together', 'iwanttodie', 'i want to die'],
    ['words run together around a known run-together word ("wanttodie"), which is split again', 'iwanttodieiwanttodie', 'i want to die i want to die'],
    ['words run together, one-letter words avoided on a tie', 'endit all iwanttoenditall', 'end it all i want to end it all'],
    ['no unknown word', 'what is the dose', null],
    ['an unknown word that splits into no crisis word', 'whatisthedose', null],
    ['an unknown word that splits into nothing known', 'xylophones', null],
    ['a word of another language that splits into an odd piece and a crisis word', 'heute abend', null],
  ])('separates %s', (_, text, separated) => {
    expect(folder.separated(text.split(' '))).toBe(separated);
  });
});
