import { describe, expect, it } from 'vitest';
import { BoundedMemoryStorage } from '../../src/channels/bot/boundedMemoryStorage.js';
import { BotConversation } from './conversation.js';
import { projectEngine } from '../support/engine.js';

const item = (n: number) => ({ followUp: { lastIntent: `intent-${n}` }, eTag: '*' });

async function storedKeys(storage: BoundedMemoryStorage, keys: string[]): Promise<string[]> {
  return Object.keys(await storage.read(keys));
}

describe('BoundedMemoryStorage', () => {
  it('forgets the item written least recently once it holds more than its capacity', async () => {
    const storage = new BoundedMemoryStorage(2);
    await storage.write({ a: item(1) });
    await storage.write({ b: item(2) });
    await storage.write({ a: item(3) });
    await storage.write({ c: item(4) });
    expect(await storedKeys(storage, ['a', 'b', 'c'])).toEqual(['a', 'c']);
    expect((await storage.read(['a'])).a).toMatchObject({ followUp: { lastIntent: 'intent-3' } });
  });

  it('frees the place of a deleted item', async () => {
    const storage = new BoundedMemoryStorage(2);
    await storage.write({ a: item(1), b: item(2) });
    await storage.delete(['a']);
    await storage.write({ c: item(3) });
    expect(await storedKeys(storage, ['a', 'b', 'c'])).toEqual(['b', 'c']);
  });

  it('checks eTags as MemoryStorage does: "*" or none writes, the stored one writes, another is refused', async () => {
    const storage = new BoundedMemoryStorage(2);
    await storage.write({ a: { n: 1 } });
    const { eTag } = (await storage.read(['a'])).a as { eTag: string };
    await storage.write({ a: { n: 2, eTag } });
    await expect(storage.write({ a: { n: 3, eTag }, b: { n: 1 } })).rejects.toThrow(/eTag conflict/);
    expect(await storage.read(['a', 'b'])).toEqual({ a: { n: 2, eTag: expect.not.stringMatching(`^${eTag}$`) } });
    await storage.write({ a: { n: 4, eTag: '*' } });
    expect((await storage.read(['a'])).a).toMatchObject({ n: 4 });
  });

  it('hands out copies: changing what was read or written changes nothing stored', async () => {
    const storage = new BoundedMemoryStorage(1);
    const written = { followUp: { lastIntent: 'a' } };
    await storage.write({ k: written });
    written.followUp.lastIntent = 'changed after writing';
    ((await storage.read(['k'])).k as typeof written).followUp.lastIntent = 'changed after reading';
    expect((await storage.read(['k'])).k).toMatchObject({ followUp: { lastIntent: 'a' } });
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new BoundedMemoryStorage(0)).toThrow(RangeError);
    expect(() => new BoundedMemoryStorage(1.5)).toThrow(RangeError);
  });

  it('behind the bot: the conversation least recently active loses its follow-up context, and only it', async () => {
    const { engine } = projectEngine();
    const inConversation = (id: string, text: string) => ({ type: 'message', text, conversation: { id, isGroup: false, conversationType: '', name: '' } });
    const tellMeMore = async (capacity: number) => {
      const storage = new BoundedMemoryStorage(capacity);
      const bot = new BotConversation(engine, { storage });
      await bot.ask(inConversation('first', 'what about withdrawal?'));
      await bot.ask(inConversation('second', 'what is the half life'));
      return (await bot.ask(inConversation('first', 'tell me more'))).text;
    };
    expect(await tellMeMore(2)).toMatch(/^Here is what the article says.*Paragraph 2, sentence 7: /s);
    expect(await tellMeMore(1)).not.toMatch(/Paragraph 2, sentence 7/);
  });
});
