/**
 * The unanswered-question review log (REVIEW_LOG): questions the assistant could not answer well,
 * so that a content editor can add what is missing. Recorded: fallbacks, clarifications, known-gap
 * replies (fallbacks with a `gap.` intent) and low-confidence answers (a quoted passage, or an answer
 * below REVIEW_CONFIDENCE_BELOW), each redacted, with the classifier's top intents and their scores,
 * the content version and the day (never the time). A safety message is counted, its text never kept.
 */
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import type { Answer } from '../../engine/types.js';
import { redact } from './redact.js';

export type ReviewKind = 'fallback' | 'clarify' | 'gap' | 'low-confidence' | 'safety';

export interface ReviewEntry {
  /** YYYY-MM-DD (UTC). */
  day: string;
  kind: ReviewKind;
  contentVersion: string;
  /** Redacted; absent for safety messages. */
  question?: string;
  /** The intent answered (or offered first), if any. */
  intent?: string | null;
  confidence?: number;
  candidates?: { intent: string; score: number }[];
}

/** Where entries are kept: bounded by entries and by age. */
export interface ReviewSink {
  append(entry: ReviewEntry): Promise<void>;
  /** The entries kept, oldest first, none older than the retention period. */
  entries(): Promise<ReviewEntry[]>;
  /** Waits for entries being written, and lets go of the file or connection. */
  close(): Promise<void>;
}

/** The longest question kept, in characters: enough to read what was asked. */
const MAX_QUESTION_CHARS = 500;
const TOP_CANDIDATES = 3;

export class ReviewLog {
  constructor(
    private readonly engine: Engine,
    private readonly sink: ReviewSink,
    private readonly lowConfidenceBelow: number,
    private readonly logger: Logger,
  ) {}

  /** Records the answer if it is one to review; never fails or delays the turn. */
  record(answer: Answer): void {
    const entry = this.entryOf(answer);
    if (entry) this.sink.append(entry).catch((error: unknown) => this.logger.warn({ err: String(error) }, 'review log: entry not written'));
  }

  close(): Promise<void> {
    return this.sink.close();
  }

  private entryOf(answer: Answer): ReviewEntry | undefined {
    const kind = this.kindOf(answer);
    if (!kind) return undefined;
    const { contentVersion } = this.engine;
    const day = new Date().toISOString().slice(0, 10);
    if (kind === 'safety') return { day, kind, contentVersion };
    const question = redact(answer.question.slice(0, MAX_QUESTION_CHARS));
    return { day, kind, contentVersion, question, intent: answer.intent, confidence: round(answer.confidence), candidates: this.candidatesFor(answer.question) };
  }

  private kindOf({ kind, intent, confidence, question }: Answer): ReviewKind | undefined {
    if (kind === 'safety') return 'safety';
    if (question.trim() === '' || question.length > this.engine.settings.maxQuestionLength) return undefined;
    if (kind === 'fallback') return intent?.startsWith('gap.') ? 'gap' : 'fallback';
    if (kind === 'clarify') return 'clarify';
    if (kind === 'passage' || (kind === 'answer' && confidence < this.lowConfidenceBelow)) return 'low-confidence';
    return undefined;
  }

  /** The classifier's best intents for the question, whatever the engine then decided. */
  private candidatesFor(question: string): { intent: string; score: number }[] {
    const { featurizer, classifier } = this.engine.model;
    return classifier.rank(featurizer.analyze(question).features, TOP_CANDIDATES).map(({ label, probability }) => ({ intent: label, score: round(probability) }));
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
