/**
 * `npm run -s ask -- [--json] ["question"]`: one question from the arguments, or one per line
 * from standard input. With --json, standard output carries only the spec's JSON lines.
 */
import { createInterface } from 'node:readline';
import { toSpecAnswer, type Answer } from '../../engine/types.js';
import { loadEngine } from '../shared/loadEngine.js';
import { loadDotEnv, settingsOrExit } from '../shared/env.js';
import { engineSettingsFrom } from '../../content/settings.js';
import { formatForPeople, wrapped } from './format.js';

const USAGE = `usage: npm run -s ask -- [--json] ["question"]
  "question"  answer one question; without it, read questions from standard input, one per line
  --json      print one JSON object per question (the content spec's answer shape)
  --help      show this help`;

/** On a terminal, reading standard input would otherwise look like a hang. */
const TYPING_HINT = `Type a question and press Enter; one answer per line. Ctrl+D when done.
(Or ask one: npm run -s ask -- "how long does it last?"; or pipe questions in, one per line.)
`;

interface AskArgs {
  json: boolean;
  question: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- 'help' names the one string that is not an error message
export function parseAskArgs(argv: readonly string[]): AskArgs | 'help' | string {
  let json = false;
  const words: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else words.push(arg);
  }
  if (words.length > 1) return 'quote the question as one argument';
  return { json, question: words[0] ?? null };
}

async function main(): Promise<number> {
  const args = parseAskArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  if (args.question === null && process.stdin.isTTY) process.stderr.write(wrapped(TYPING_HINT, process.stderr.columns));
  loadDotEnv();
  const engine = await loadEngine(settingsOrExit(engineSettingsFrom));
  const render = (answer: Answer) => (args.json ? JSON.stringify(toSpecAnswer(answer)) : `${formatForPeople(answer, process.stdout.columns)}\n`);
  if (args.question !== null) {
    process.stdout.write(`${render(engine.answer(args.question))}\n`);
    return 0;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (!process.stdout.write(`${render(engine.answer(line))}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
