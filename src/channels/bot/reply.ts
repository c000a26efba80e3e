/**
 * How an answer reads in a Bot Framework channel (Teams, Web Chat, the Emulator): markdown text with
 * a "Sources" block (each quoted sentence labelled "Paragraph 3, sentence 4", a link to the article
 * view where the channel serves one), a clarification's choices also numbered in the text (Teams shows at most three
 * suggested actions; some channels none), and the suggestions as imBack suggested actions, so a click
 * asks exactly the label. Only curated content is rendered: the user's question is echoed nowhere.
 */
import { ActionTypes, ActivityTypes, TextFormatTypes, type Activity, type CardAction } from 'botbuilder';
import type { Answer, Source, Suggestion } from '../../engine/types.js';

/** The turnState key under which a channel that serves the article view (the local chat page) puts its path. */
export const ARTICLE_VIEW = Symbol('the path of the article view');

/** `articlePath`: where the channel shows the article; each source then links to its sentence there. */
export function answerMessage(answer: Answer, articlePath?: string): Partial<Activity> {
  const blocks = [answer.text];
  if (answer.kind === 'clarify') blocks.push(numberedChoices(answer.suggestions));
  if (answer.sources.length > 0) blocks.push(sourcesBlock(answer.sources, articlePath));
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

function sourcesBlock(sources: readonly Source[], articlePath: string | undefined): string {
  return ['**Sources**', ...sources.map((s) => `- ${sourceLabel(s.id, articlePath)}: "${s.text}"`)].join('\n');
}

/** p3s4 -> "Paragraph 3, sentence 4", linked to /article#p3s4 where there is an article view. */
function sourceLabel(id: string, articlePath: string | undefined): string {
  const [, paragraph, sentence] = /^p(\d+)s(\d+)$/.exec(id)!;
  const label = `Paragraph ${paragraph}, sentence ${sentence}`;
  return articlePath ? `[${label}](${articlePath}#${id})` : label;
}
