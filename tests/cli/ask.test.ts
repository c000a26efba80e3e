/** The ask command as a user runs it: the compiled program in a child process. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const ASK = join(PROJECT_ROOT, 'dist', 'src', 'channels', 'cli', 'ask.js');

function ask(args: string[], input?: string) {
  return spawnSync(process.execPath, [ASK, ...args], { cwd: PROJECT_ROOT, input, encoding: 'utf8', env: { ...process.env, EMERGENCY_NUMBER: '112' } });
}

/** The fields of an `ask --json` line these tests read. */
interface JsonAnswer {
  question: string;
  kind: string;
  intent: string | null;
  text: string;
}

describe('npm run -s ask', () => {
  it('--json prints exactly one spec JSON object for a question', () => {
    const result = ask(['--json', 'what is clonazepam used for']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['candidates', 'confidence', 'intent', 'kind', 'question', 'sources', 'text']);
    expect(answer).toMatchObject({ question: 'what is clonazepam used for', kind: 'answer', intent: 'about.uses' });
  });

  it('streams one JSON line per standard-input line, in order, each answered on its own', () => {
    const questions = ['what is the half-life of clonazepam', 'tell me more', '', 'i took the whole bottle'];
    const result = ask(['--json'], `${questions.join('\n')}\n`);
    expect(result.status).toBe(0);
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JsonAnswer);
    expect(answers.map((a) => a.question)).toEqual(questions);
    expect(answers[0]?.intent).toBe('pharmacokinetics.half_life');
    expect(answers[1]?.kind).not.toBe('answer'); // no state carries between lines
    expect(answers[3]?.intent).toBe('safety.overdose_emergency');
    expect(answers[3]?.text).toContain('112'); // emergency number from the environment
  });

  it('prints answers for people with their citations', () => {
    const result = ask(['how does clonazepam work']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Sources:\n {2}\[p\d+s\d+\] "/);
  });

  it('prints usage and exits 2 on bad arguments', () => {
    for (const args of [['--nope'], ['one', 'two']]) {
      const result = ask(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('usage: npm run -s ask');
      expect(result.stdout).toBe('');
    }
  });

  it('keeps writing while input is still arriving', async () => {
    const child = spawn(process.execPath, [ASK, '--json'], { cwd: PROJECT_ROOT });
    const firstLine = new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    child.stdin.write('what is gaba\n');
    expect((JSON.parse((await firstLine).split('\n')[0]!) as JsonAnswer).intent).toBe('mechanism.gaba');
    child.stdin.end();
    await new Promise((resolve) => child.once('close', resolve));
  });
});
