/** What `npm run bench` and `npm run loadtest` send: autocannon requests to POST /api/messages. */
import type { Options } from 'autocannon';
import { evaluationSets } from './evaluation.js';

/** Conversations the questions are spread over (each keeps its follow-up context in the bot's state). */
const CONVERSATIONS = 50;

/** The questions of every evaluation set: held-out (about the document), off-topic and crisis. */
export function mixedQuestions(): string[] {
  const sets = evaluationSets();
  return [...sets.heldout, ...sets.offtopic, ...sets.crisis].map((item) => item.question);
}

/** Each question as an expectReplies message (the replies come back in the answer, nothing is posted elsewhere). */
export function messageLoad(serverUrl: string, questions: readonly string[]): Pick<Options, 'url' | 'method' | 'headers' | 'requests'> {
  return {
    url: `${serverUrl}/api/messages`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: questions.map((question, i) => ({ method: 'POST', body: expectRepliesMessage(question, i) })),
  };
}

function expectRepliesMessage(text: string, i: number): string {
  return JSON.stringify({
    type: 'message',
    deliveryMode: 'expectReplies',
    channelId: 'load',
    serviceUrl: 'http://127.0.0.1:9',
    id: `load-${i}`,
    text,
    from: { id: `user-${i % CONVERSATIONS}` },
    recipient: { id: 'bot' },
    conversation: { id: `conversation-${i % CONVERSATIONS}` },
  });
}
