/** `npm run chat` and `npm run -s ask` as users meet them: piped input, and a pseudo-terminal of a given width. */
import { describe, expect, it } from 'vitest';
import { projectEngine } from '../support/engine.js';
import { runOnTerminal, runPiped } from './terminal.js';

const { engine } = projectEngine();
const COLUMNS = 60;

/** Whitespace-insensitive, so a text wrapped over several lines still matches as long as no word was cut. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('npm run chat', () => {
  it('answers piped input line by line to the end, with follow-up context', async () => {
    const questions = ['what is the half-life of clonazepam', 'tell me more', 'what is gaba', 'i took the whole bottle'];
    const { stdout, code } = await runPiped('chat.js', `${questions.join('\n')}\n`);
    expect(code).toBe(0);
    expect(stdout).toContain(engine.message('more'));
    expect(stdout).toContain('[p2s5]');
    expect(stdout).toContain(engine.answer('what is gaba').text);
    expect(stdout).toMatch(/Call \d+ now/); // the last line too: the crisis reply
  });

  it('a number or "the first one" picks from the list shown last: the starters, then the follow-ups', async () => {
    const welcome = engine.welcome();
    const afterStarter = engine.answer(welcome.suggestions[1]!.label);
    const { stdout } = await runPiped('chat.js', '2\nthe first one\n');
    expect(stdout).toContain('Try: (1) ');
    expect(stdout).toContain(afterStarter.text);
    expect(stdout).toContain(engine.answer(afterStarter.suggestions[0]!.label).text);
    expect(stdout).not.toContain(engine.message('fallback'));
  });

  it(`wraps between words at the terminal's width (${COLUMNS} columns)`, async () => {
    const { stdout, code } = await runOnTerminal('chat.js', 'how does clonazepam work\nquit\n', COLUMNS);
    expect(code).toBe(0);
    const answer = engine.answer('how does clonazepam work');
    expect(flat(stdout)).toContain(flat(answer.text));
    for (const source of answer.sources) expect(flat(stdout)).toContain(flat(source.text));
    const tooWide = stdout.split('\n').filter((line) => line.length > COLUMNS);
    expect(tooWide).toEqual([]);
  });
});

describe('npm run -s ask without a question', () => {
  it('on a terminal, says how to type or pipe questions, then answers what is typed', async () => {
    const { stdout, code } = await runOnTerminal('ask.js', 'what is gaba\n', COLUMNS);
    expect(code).toBe(0);
    expect(flat(stdout)).toContain('Type a question and press Enter');
    expect(flat(stdout)).toContain('pipe questions in');
    expect(flat(stdout)).toContain(flat(engine.answer('what is gaba').text));
  });

  it('with piped input, prints only the answers, as before', async () => {
    const { stdout, stderr, code } = await runPiped('ask.js', 'what is gaba\n');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.startsWith(engine.answer('what is gaba').text)).toBe(true);
  });
});
