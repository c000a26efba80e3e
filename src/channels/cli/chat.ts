/**
 * `npm run chat`: a terminal chat with the engine, keeping follow-up context. A number picks from
 * the list shown last; answers wrap at the terminal's width; piped input is answered line by line.
 */
import { createInterface } from 'node:readline';
import { nextContext, type ConversationContext } from '../../engine/types.js';
import { loadEngine } from '../shared/loadEngine.js';
import { loadDotEnv, settingsOrExit } from '../shared/env.js';
import { engineSettingsFrom } from '../../content/settings.js';
import { formatForPeople, numberedList, wrapped } from './format.js';

const QUIT = /^\s*(quit|exit)\s*$/i;

async function main(): Promise<void> {
  loadDotEnv();
  const engine = await loadEngine(settingsOrExit(engineSettingsFrom));
  const width = () => process.stdout.columns;
  const welcome = engine.welcome();
  console.log(wrapped(`${welcome.text}\n\n${numberedList('Try', welcome.suggestions)}\n(Type "quit" to leave.)\n`, width()));
  const terminal = createInterface({ input: process.stdin, output: process.stdout, prompt: 'you> ' });
  let context: ConversationContext = { choices: welcome.suggestions.map((s) => s.intent) };
  terminal.prompt();
  // The async iterator queues lines that arrive while one is being answered: piped input is answered to the end.
  for await (const line of terminal) {
    if (QUIT.test(line)) break;
    const answer = engine.answer(line, context);
    context = nextContext(answer, context);
    console.log(`\n${formatForPeople(answer, width())}\n`);
    terminal.prompt();
  }
  terminal.close();
}

void main();
