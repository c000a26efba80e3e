import { MemoryStorage, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { engineSettingsFrom } from '../../src/content/settings.js';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { createEngine } from '../../src/engine/engine.js';
import { explodingEngine, projectEngine, testData, type Crisis } from '../support/engine.js';
import { BotConversation, recordingLogger, suggestedLabels } from './conversation.js';

const { content, engine } = projectEngine();
const sentence = (id: string) => content.sentences.find((s) => s.id === id)!.text;
const teamsBotMention = '<at>Clonazepam FAQ</at>';

describe('welcome', () => {
  it('greets a user who joins once, with the starter questions as suggested actions', async () => {
    const chat = new BotConversation(engine);
    const replies = await chat.send({
      type: 'conversationUpdate',
      membersAdded: [
        { id: 'bot', name: 'Bot' },
        { id: 'user1', name: 'User1' },
        { id: 'user2', name: 'User2' },
      ],
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe(engine.welcome().text);
    expect(replies[0]!.text).toMatch(/do not give medical advice/);
    expect(suggestedLabels(replies[0]!)).toEqual(['What is clonazepam?', 'How does clonazepam work?', 'How long does it last?', 'What are the side effects?']);
  });

  it('says nothing when only the bot itself is added', async () => {
    const chat = new BotConversation(engine);
    expect(await chat.send({ type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Bot' }] })).toEqual([]);
  });
});

describe('answering', () => {
  it('shows a typing indicator, then the answer with its quoted sources and follow-ups as suggested actions', async () => {
    const chat = new BotConversation(engine);
    const replies = await chat.send('What is clonazepam?');
    expect(replies.map((r) => r.type)).toEqual(['typing', 'message']);
    const answer = replies[1]!;
    expect(answer.text).toContain(engine.answer('What is clonazepam?').text);
    expect(answer.text).toContain(`**Sources**\n- Paragraph 1, sentence 1: "${sentence('p1s1')}"`);
    expect(answer.textFormat).toBe('markdown');
    expect(suggestedLabels(answer)).toEqual(engine.answer('What is clonazepam?').suggestions.map((s) => s.label));
    expect(suggestedLabels(answer).length).toBeGreaterThan(0);
  });

  it('keeps follow-up context: "what about withdrawal?" then "tell me more" quotes the sentences next to the withdrawal passages', async () => {
    const chat = new BotConversation(engine);
    await chat.ask('What is clonazepam?');
    const withdrawal = await chat.ask('what about withdrawal?');
    expect(withdrawal.text).toContain(`Paragraph 3, sentence 3: "${sentence('p3s3')}"`);
    const more = await chat.ask('tell me more');
    expect(more.text?.startsWith(engine.message('more'))).toBe(true);
    expect(more.text).toContain(`Paragraph 2, sentence 7: "${sentence('p2s7')}"`);
    expect(more.text).not.toContain('Paragraph 3, sentence 3');
  });

  it('keeps each conversation\'s context apart: "tell me more" means nothing in a new one', async () => {
    const first = new BotConversation(engine);
    await first.ask('what about withdrawal?');
    const other = new BotConversation(engine);
    expect((await other.ask('tell me more')).text).toBe(engine.answer('tell me more').text);
    expect(engine.answer('tell me more').text).not.toContain(engine.message('more'));
  });

  it('keeps context in the injected Storage, so another bot on the same store carries on', async () => {
    const storage = new MemoryStorage();
    await new BotConversation(engine, { storage }).ask('what about withdrawal?');
    expect((await new BotConversation(engine, { storage }).ask('tell me more')).text).toContain(`Paragraph 2, sentence 7: "${sentence('p2s7')}"`);
  });

  it('answers a crisis message with the emergency and crisis numbers first', async () => {
    const crisis = testData<Crisis>('crisis.yaml');
    const chat = new BotConversation(engine);
    const selfHarm = await chat.ask(crisis.self_harm[0]!);
    expect(selfHarm.text).toMatch(/^[^.]*988/);
    expect(selfHarm.text).toContain('911');
    const overdose = await chat.ask(crisis.overdose[0]!);
    expect(overdose.text).toMatch(/^[^.]*911/);
    expect(overdose.text).toContain('1-800-222-1222');
  });

  it('never echoes the question, so markup typed by the user never reaches the channel', async () => {
    const reply = await new BotConversation(engine).ask('<img src=x onerror=alert(1)> what is <b>clonazepam</b>?');
    expect(reply.text).not.toMatch(/<img|<b>|onerror/);
  });
});

describe('clarification', () => {
  // An engine that never answers from the classifier alone: every question with two close topics
  // is clarified, so these conversations do not depend on what the content makes ambiguous.
  const cautious = createEngine(content, engineSettingsFrom({}), { tuning: { answerThreshold: 1.01, answerFloor: 1.01, clarifyShare: 0 } });
  const ambiguous = 'how does clonazepam affect gaba in the brain';
  const { suggestions: choices } = cautious.answer(ambiguous);

  async function awaitingChoice(): Promise<BotConversation> {
    const chat = new BotConversation(cautious);
    expect((await chat.ask(ambiguous)).text).toContain(cautious.message('clarify'));
    return chat;
  }

  it('offers the choices both as suggested actions and as a numbered list in the text', async () => {
    expect(cautious.answer(ambiguous).kind).toBe('clarify');
    expect(choices.length).toBeGreaterThanOrEqual(2);
    const reply = await new BotConversation(cautious).ask(ambiguous);
    expect(suggestedLabels(reply)).toEqual(choices.map((s) => s.label));
    expect(reply.text).toContain(choices.map((s, i) => `${i + 1}. ${s.label}`).join('\n'));
  });

  it('answers the topic whose suggested action was clicked', async () => {
    const chat = await awaitingChoice();
    const picked = await chat.ask(choices[1]!.label);
    expect(picked.text).toContain(engine.answer(choices[1]!.label).text);
    expect(cautious.answer(choices[1]!.label).intent).toBe(choices[1]!.intent);
  });

  it('takes a typed choice number from the pending clarification', async () => {
    const chat = await awaitingChoice();
    const expected = cautious.answer(choices[1]!.label).text;
    expect((await chat.ask('2')).text).toContain(expected);
    expect((await new BotConversation(cautious).ask('2')).text).not.toContain(expected);
  });
});

describe('Teams and other activities', () => {
  const teamsMessage = (text: string): Partial<Activity> => ({
    type: 'message',
    channelId: 'msteams',
    text,
    conversation: { id: '19:channel@thread.tacv2', conversationType: 'channel', isGroup: true, name: 'General' },
    entities: [{ type: 'mention', text: teamsBotMention, mentioned: { id: 'bot', name: 'Clonazepam FAQ' } }],
  });

  it('answers a Teams message that @mentions the bot as if the mention were absent', async () => {
    // The engine now reads "<at>Clonazepam FAQ</at> what is clonazepam?" right anyway; a greeting it still reads as a question about the medicine.
    const withMention = `${teamsBotMention} hello`;
    expect(engine.answer(withMention).intent).not.toBe('smalltalk.greeting'); // the mention would derail the engine
    const reply = await new BotConversation(engine).ask(teamsMessage(withMention));
    expect(reply.text).toBe((await new BotConversation(engine).ask('hello')).text);
  });

  it('keeps mentions of other people in the text', async () => {
    const message = teamsMessage('<at>Alex</at> what is clonazepam?');
    message.entities!.push({ type: 'mention', text: '<at>Alex</at>', mentioned: { id: 'alex', name: 'Alex' } });
    const reply = await new BotConversation(engine).ask(message);
    expect(reply.text).toBe((await new BotConversation(engine).ask('<at>Alex</at> what is clonazepam?')).text);
  });

  it.each([
    ['question', { question: 'What is clonazepam?' }],
    ['text', { text: 'What is clonazepam?' }],
  ])('handles a card submission with a %s field like typed text', async (_field, value) => {
    const reply = await new BotConversation(engine).ask({ type: 'message', value });
    expect(reply.text).toBe((await new BotConversation(engine).ask('What is clonazepam?')).text);
  });

  it('asks for a typed question when a message has only an attachment', async () => {
    const { logger, records } = recordingLogger();
    const reply = await new BotConversation(engine, { logger }).ask({
      type: 'message',
      attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/pill.png' }],
    });
    expect(reply.text).toBe(engine.message('empty'));
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
  });

  it('ignores activity types it does not know', async () => {
    expect(await new BotConversation(engine).send({ type: 'somethingNew' })).toEqual([]);
  });
});

describe('limits and logging', () => {
  const inConversation = (id: string, text: string): Partial<Activity> => ({ type: 'message', text, conversation: { id } as Activity['conversation'] });

  it('answers at most messagesPerMinute messages per conversation, then politely asks to wait, other conversations unaffected', async () => {
    const chat = new BotConversation(engine, { messagesPerMinute: 2 });
    await chat.ask(inConversation('busy', 'What is clonazepam?'));
    await chat.ask(inConversation('busy', 'How long does it last?'));
    expect(await chat.send(inConversation('busy', 'What are the side effects?'))).toEqual([expect.objectContaining({ text: engine.message('rate_limited') })]);
    expect((await chat.ask(inConversation('calm', 'What is clonazepam?'))).text).toContain('Paragraph 1, sentence 1');
  });

  it.each(['i took the whole bottle', 'i want to kill myself', 'how many mg should i take'])(
    'past the limit still sends the safety reply to "%s": a crisis reply is never withheld',
    async (text) => {
      const chat = new BotConversation(engine, { messagesPerMinute: 1 });
      await chat.ask(inConversation('busy', 'What is clonazepam?'));
      const reply = await chat.ask(inConversation('busy', text));
      expect(engine.answer(text).kind).toBe('safety');
      expect(reply.text).toBe(answerMessage(engine.answer(text)).text);
      expect(await chat.send(inConversation('busy', 'What are the side effects?'))).toEqual([expect.objectContaining({ text: engine.message('rate_limited') })]);
    },
  );

  it('logs one line per turn with intent, kind, confidence and latency, and the question only with logQuestions', async () => {
    const quiet = recordingLogger();
    await new BotConversation(engine, { logger: quiet.logger }).ask('What is clonazepam?');
    const [line] = quiet.records.filter((record) => record.msg === 'turn');
    expect(line).toMatchObject({ intent: 'about.what_is', kind: 'answer', confidence: expect.any(Number), latencyMs: expect.any(Number) });
    expect(JSON.stringify(quiet.records)).not.toContain('What is clonazepam?');

    const verbose = recordingLogger();
    await new BotConversation(engine, { logger: verbose.logger, logQuestions: true }).ask('What is clonazepam?');
    expect(verbose.records.filter((record) => record.msg === 'turn')).toEqual([expect.objectContaining({ question: 'What is clonazepam?' })]);
  });
});

describe('onTurnError', () => {
  const exploding = explodingEngine(engine);

  it('logs the error, apologises without details and forgets the conversation context', async () => {
    const { logger, records } = recordingLogger();
    const chat = new BotConversation(exploding, { logger });
    await chat.ask('what about withdrawal?');
    const replies = await chat.send('explode');
    const messages = replies.filter((r) => r.type === 'message');
    expect(messages.map((m) => m.text)).toEqual([engine.message('error')]);
    expect(JSON.stringify(replies)).not.toContain('secret');
    const errors = records.filter((r) => Number(r.level) >= 50);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('/srv/secret/path');
    expect((await chat.ask('tell me more')).text).not.toContain(engine.message('more'));
  });
});
