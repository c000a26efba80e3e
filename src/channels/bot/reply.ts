/**
 * How an answer reads in a Bot Framework channel (Teams, Web Chat, the Emulator): markdown text with
 * a "Sources" block, a clarification's choices also numbered in the text (Teams shows at most three
 * suggested actions; some channels none), and the suggestions as imBack suggested actions, so a click
 * asks exactly the label. Only curated content is rendered: the user's question is echoed nowhere.
 */
import { ActionTypes, ActivityTypes, TextFormatTypes, type Activity, type CardAction } from 'botbuilder';
import type { Answer, Source, Suggestion } from '../../engine/types.js';

export function answerMessage(answer: Answer): Partial<Activity> {
  const blocks = [answer.text];
  if (answer.kind === 'clarify') blocks.push(numberedChoices(answer.suggestions));
  if (answer.sources.length > 0) blocks.push(sourcesBlock(answer.sources));
  return messageWithSuggestions(blocks.join('\n\n'), answer.suggestions);
}

export function welcomeMessage(welcome: { text: string; suggestions: Suggestion[] }): Partial<Activity> {
  return messageWithSuggestions(welcome.text, welcome.suggestions);
}

function messageWithSuggestions(text: string, suggestions: readonly Suggestion[]): Partial<Activity> {
  const message: Partial<Activity> = { type: ActivityTypes.Message, text, textFormat: TextFormatTypes.Markdown };
  if (suggestions.length > 0) message.suggestedActions = { to: [], actions: suggestions.map(askLabel) };
  return message;
}

function askLabel(suggestion: Suggestion): CardAction {
  return { type: ActionTypes.ImBack, title: suggestion.label, value: suggestion.label };
}

function numberedChoices(suggestions: readonly Suggestion[]): string {
  return suggestions.map((s, i) => `${i + 1}. ${s.label}`).join('\n');
}

function sourcesBlock(sources: readonly Source[]): string {
  return ['**Sources**', ...sources.map((s) => `- ${s.id}: "${s.text}"`)].join('\n');
}
