/** `npm run chat`: an interactive terminal chat with the engine, keeping follow-up context. */
import { createInterface } from 'node:readline/promises';
import { nextContext, type ConversationContext } from '../../engine/types.js';
import { loadEngine } from '../shared/loadEngine.js';
import { loadDotEnv } from '../shared/env.js';
import { formatForPeople } from './format.js';

async function main(): Promise<void> {
  loadDotEnv();
  const engine = await loadEngine();
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  const welcome = engine.welcome();
  console.log(`${welcome.text}\n\nTry: ${welcome.suggestions.map((s) => s.label).join(' | ')}\n(Type "quit" to leave.)\n`);
  let context: ConversationContext = {};
  for (;;) {
    let line: string;
    try {
      line = await terminal.question('you> ');
    } catch {
      break; // input closed
    }
    if (/^\s*(quit|exit)\s*$/i.test(line)) break;
    const answer = engine.answer(line, context);
    context = nextContext(answer, context);
    console.log(`\n${formatForPeople(answer)}\n`);
  }
  terminal.close();
}

void main();
