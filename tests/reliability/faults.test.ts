/** Faults inside the server: a failing state store, a turn that throws. The user gets an apology; nothing else is affected. */
import { MemoryStorage, type StoreItems } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../bot/conversation.js';
import { botMessages, DirectLineClient, startLocalChat } from '../directline/support.js';
import { askForReplies, startServer, type RunningServer } from '../http/support.js';
import { explodingEngine, projectEngine } from '../support/engine.js';

const { engine } = projectEngine();
const apology = engine.message('error');

/** The bot's state store, failing to read or to write while told to. */
class FailingStorage extends MemoryStorage {
  failing: 'read' | 'write' | 'nothing' = 'nothing';

  override async read(keys: string[]): Promise<StoreItems> {
    if (this.failing === 'read') throw new Error('state store unreachable');
    return super.read(keys);
  }

  override async write(changes: StoreItems): Promise<void> {
    if (this.failing === 'write') throw new Error('state store unreachable');
    return super.write(changes);
  }
}

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('a failing state store', () => {
  it.each([
    ['read', [apology]],
    ['write', [expect.stringContaining('Paragraph 1, sentence 1'), apology]],
  ] as const)('that fails to %s: the user gets the apology, the error is logged, the next request is served', async (failing, texts) => {
    const storage = new FailingStorage();
    const { logger, records } = recordingLogger();
    running = await startServer(engine, { storage, logger });
    storage.failing = failing;
    expect(await askForReplies(running.url)).toEqual({ status: 200, texts });
    expect(records.filter((record) => record.msg === 'turn failed')).toHaveLength(1);
    storage.failing = 'nothing';
    expect((await askForReplies(running.url)).texts).toEqual([expect.stringContaining('Paragraph 1, sentence 1')]);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  });
});

describe('a turn that throws', () => {
  const exploding = explodingEngine(engine);

  it('gets its conversation an apology on /api/messages, while the conversations around it are answered', async () => {
    running = await startServer(exploding);
    const conversation = (id: string) => ({ conversation: { id } });
    const others = Array.from({ length: 20 }, (_, i) => askForReplies(running!.url, conversation(`calm-${i}`)));
    const failed = askForReplies(running.url, { ...conversation('failing'), text: 'explode' });
    expect(await failed).toEqual({ status: 200, texts: [apology] });
    for (const other of await Promise.all(others)) expect(other.texts).toEqual([expect.stringContaining('Paragraph 1, sentence 1')]);
    expect((await askForReplies(running.url, conversation('failing'))).texts).toEqual([expect.stringContaining('Paragraph 1, sentence 1')]);
  });

  it('gets its conversation an apology on the Direct Line, and the other conversation is answered', async () => {
    running = await startLocalChat({}, { engine: exploding, pollHoldMs: 100 });
    const [failing, calm] = await Promise.all([DirectLineClient.start(running.url), DirectLineClient.start(running.url)]);
    await Promise.all([failing.send('explode'), calm.send('what is clonazepam')]);
    expect(botMessages(await failing.activities()).at(-1)!.text).toBe(apology);
    expect(botMessages(await calm.activities()).at(-1)!.text).toContain('Paragraph 1, sentence 1');
    await failing.send('what is clonazepam');
    expect(botMessages(await failing.activities()).at(-1)!.text).toContain('Paragraph 1, sentence 1');
  });
});
