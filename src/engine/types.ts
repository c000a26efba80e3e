/** The answer object of the content spec, plus what channels need to offer next steps. */
export type AnswerKind = 'answer' | 'passage' | 'clarify' | 'safety' | 'smalltalk' | 'fallback';

export interface Source {
  id: string;
  text: string;
}

/** A next step a channel can offer as a button: clicking it asks `label`. */
export interface Suggestion {
  intent: string;
  label: string;
}

/** The JSON line of `ask --json`: exactly the fields the spec fixes. */
export interface SpecAnswer {
  question: string;
  kind: AnswerKind;
  intent: string | null;
  confidence: number;
  text: string;
  sources: Source[];
  /** Clarify: the intents offered; otherwise the follow-up intents offered. */
  candidates: string[];
}

/** What the engine returns: the spec's answer, plus the offered next steps as buttons. */
export interface Answer extends SpecAnswer {
  suggestions: Suggestion[];
}

/** What a conversation remembers between turns. */
export interface ConversationContext {
  lastIntent?: string | null;
  /** The intents of the list shown last (a clarification, follow-ups, starters), so "the first one" or "2" can pick one. */
  choices?: string[];
  /** The ids of the sentences already quoted, so "tell me more" adds only what is new. */
  seen?: string[];
}

export function toSpecAnswer(answer: Answer): SpecAnswer {
  const { question, kind, intent, confidence, text, sources, candidates } = answer;
  return { question, kind, intent, confidence, text, sources, candidates };
}

/** The context to keep after an answer. */
export function nextContext(answer: Answer, previous: ConversationContext = {}): ConversationContext {
  const topical = answer.intent !== null && answer.kind !== 'smalltalk' && answer.kind !== 'clarify';
  const seen = [...new Set([...(previous.seen ?? []), ...answer.sources.map((source) => source.id)])];
  return {
    lastIntent: topical ? answer.intent : (previous.lastIntent ?? null),
    ...(answer.candidates.length > 0 ? { choices: answer.candidates } : {}),
    ...(seen.length > 0 ? { seen } : {}),
  };
}
