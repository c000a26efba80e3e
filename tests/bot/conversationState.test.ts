import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { JsonCheckedConversationState } from '../../src/channels/bot/conversationState.js';

/** MemoryStorage that records which keys each call touched. */
class RecordingStorage extends MemoryStorage {
  readonly calls: string[] = [];

  override read(keys: string[]): Promise<StoreItems> {
    this.calls.push(`read ${keys.join()}`);
    return super.read(keys);
  }

  override write(changes: StoreItems): Promise<void> {
    this.calls.push(`write ${Object.keys(changes).join()}`);
    return super.write(changes);
  }

  override delete(keys: string[]): Promise<void> {
    this.calls.push(`delete ${keys.join()}`);
    return super.delete(keys);
  }
}

/** ConversationState's key: channel, conversation and the (empty) namespace. */
const KEY = 'test/conversations/c1/';

function turn(conversationId = 'c1'): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', channelId: 'test', conversation: { id: conversationId, isGroup: false, conversationType: '', name: '' } });
}

/** One turn: load, change the state as `change` says, save. */
async function runTurn(state: ConversationState, change: (data: Record<string, unknown>) => void): Promise<void> {
  const context = turn();
  change((await state.load(context)) as Record<string, unknown>);
  await state.saveChanges(context);
}

/** A state on recording storage, after one turn that saved a follow-up context. */
async function stateAfterOneTurn(): Promise<{ storage: RecordingStorage; state: JsonCheckedConversationState }> {
  const storage = new RecordingStorage();
  const state = new JsonCheckedConversationState(storage);
  await runTurn(state, (data) => (data.followUp = { lastIntent: 'dosage' }));
  return { storage, state };
}

describe('JsonCheckedConversationState', () => {
  it("writes a changed state under ConversationState's key, readable by botbuilder's own ConversationState", async () => {
    const storage = new RecordingStorage();
    await runTurn(new JsonCheckedConversationState(storage), (data) => (data.followUp = { lastIntent: 'withdrawal' }));
    expect(storage.calls).toEqual([`read ${KEY}`, `write ${KEY}`]);
    const context = turn();
    expect(await new ConversationState(storage).load(context)).toMatchObject({ followUp: { lastIntent: 'withdrawal' } });
  });

  it("reads what botbuilder's ConversationState wrote", async () => {
    const storage = new MemoryStorage();
    await runTurn(new ConversationState(storage), (data) => (data.followUp = { lastIntent: 'dosage' }));
    expect(await new JsonCheckedConversationState(storage).load(turn())).toMatchObject({ followUp: { lastIntent: 'dosage' } });
  });

  it('does not write a state the turn left as it was, nor one it never loaded', async () => {
    const { storage, state } = await stateAfterOneTurn();
    await runTurn(state, (data) => (data.followUp = { lastIntent: 'dosage' }));
    await state.saveChanges(turn());
    expect(storage.calls).toEqual([`read ${KEY}`, `write ${KEY}`, `read ${KEY}`]);
  });

  it('writes a change nested deep in the state', async () => {
    const storage = new RecordingStorage();
    const state = new JsonCheckedConversationState(storage);
    await runTurn(state, (data) => (data.followUp = { choices: ['a', 'b'] }));
    await runTurn(state, (data) => ((data.followUp as { choices: string[] }).choices[1] = 'c'));
    expect(await state.load(turn())).toMatchObject({ followUp: { choices: ['a', 'c'] } });
    expect(storage.calls.filter((call) => call.startsWith('write'))).toHaveLength(2);
  });

  it('saves when forced, after clear(), and keeps conversations apart', async () => {
    const { storage, state } = await stateAfterOneTurn();
    const forced = turn();
    await state.load(forced);
    await state.saveChanges(forced, true);
    const cleared = turn();
    await state.load(cleared);
    await state.clear(cleared);
    expect(state.get(cleared)).toEqual({});
    await state.saveChanges(cleared);
    expect(storage.calls.filter((call) => call.startsWith('write'))).toHaveLength(3);
    expect(await state.load(turn())).not.toHaveProperty('followUp');
    expect(await state.load(turn('c2'))).toEqual({});
  });

  it('delete() forgets the conversation in the turn and in storage', async () => {
    const { storage, state } = await stateAfterOneTurn();
    const context = turn();
    await state.load(context);
    await state.delete(context);
    expect(state.get(context)).toBeUndefined();
    expect(storage.calls).toContain(`delete ${KEY}`);
    expect(await state.load(turn())).toEqual({});
  });
});
