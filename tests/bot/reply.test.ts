import { describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/channels/bot/reply.js';
import type { Answer } from '../../src/engine/types.js';

const baseAnswer: Answer = {
  question: 'q',
  kind: 'answer',
  intent: 'pharmacokinetics.half_life',
  confidence: 1,
  text: 'It lasts long.',
  sources: [],
  candidates: [],
  suggestions: [],
};

describe('answerMessage', () => {
  it('adds a Sources block quoting each cited sentence under a plain "Paragraph 2, sentence 6" label (Teams, the Emulator)', () => {
    const message = answerMessage({
      ...baseAnswer,
      sources: [
        { id: 'p2s6', text: 'One.' },
        { id: 'p2s7', text: 'Two.' },
      ],
    });
    expect(message.text).toBe('It lasts long.\n\n**Sources**\n- Paragraph 2, sentence 6: "One."\n- Paragraph 2, sentence 7: "Two."');
  });

  it('links each source to its sentence in the article view where the channel serves one (the local chat page)', () => {
    const message = answerMessage({ ...baseAnswer, sources: [{ id: 'p3s4', text: 'One.' }] }, '/article');
    expect(message.text).toBe('It lasts long.\n\n**Sources**\n- [Paragraph 3, sentence 4](/article#p3s4): "One."');
  });

  it("numbers a clarification's choices in the text, for channels that show few or no suggested actions", () => {
    const message = answerMessage({
      ...baseAnswer,
      kind: 'clarify',
      intent: null,
      text: 'Which of these did you mean?',
      candidates: ['mechanism.gaba', 'mechanism.receptor'],
      suggestions: [
        { intent: 'mechanism.gaba', label: 'What is GABA?' },
        { intent: 'mechanism.receptor', label: 'Where does it bind?' },
      ],
    });
    expect(message.text).toBe('Which of these did you mean?\n\n1. What is GABA?\n2. Where does it bind?');
    expect(message.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: 'What is GABA?', value: 'What is GABA?' },
      { type: 'imBack', title: 'Where does it bind?', value: 'Where does it bind?' },
    ]);
  });

  it('leaves out suggested actions and sources when there are none', () => {
    const message = answerMessage(baseAnswer);
    expect(message).toEqual({ type: 'message', text: 'It lasts long.', textFormat: 'markdown' });
  });
});
