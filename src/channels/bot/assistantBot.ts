/**
 * The Bot Framework bot: welcomes users who join, answers each message with the engine, and keeps
 * follow-up context (the last intent, a pending clarification) in ConversationState behind the
 * Storage interface (MemoryStorage unless another store is injected).
 */
import { ActivityTypes, DeliveryModes, MemoryStorage, TeamsActivityHandler, TurnContext, type Activity, type Storage, type StoreItem } from 'botbuilder';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import { nextContext, type Answer, type ConversationContext } from '../../engine/types.js';
import type { ReviewLog } from '../review/reviewLog.js';
import { RateLimiter, type Limiter } from '../shared/rateLimiter.js';
import { JsonCheckedConversationState } from './conversationState.js';
import { questionOf } from './question.js';
import { ARTICLE_VIEW, answerMessage, welcomeMessage } from './reply.js';

export interface AssistantBotOptions {
  engine: Engine;
  logger: Logger;
  storage?: Storage;
  /** Messages per conversation per minute; 0 or absent: no limit. */
  messagesPerMinute?: number;
  /** Where that limit counts; default: in this process. */
  perConversation?: Limiter;
  /** Log what users typed (off by default: questions can be personal). */
  logQuestions?: boolean;
  /** Where questions answered badly are kept for review (REVIEW_LOG); none: not kept. */
  review?: ReviewLog;
}

/** What the bot keeps per conversation: the context a follow-up question or a clarification choice needs. */
interface ConversationData extends StoreItem {
  followUp?: ConversationContext;
}

export class AssistantBot extends TeamsActivityHandler {
  private readonly engine: Engine;
  private readonly logger: Logger;
  private readonly conversationState: JsonCheckedConversationState;
  private readonly perConversation: Limiter;
  private readonly logQuestions: boolean;
  private readonly review?: ReviewLog;

  constructor({ engine, logger, storage = new MemoryStorage(), messagesPerMinute = 0, perConversation, logQuestions = false, review }: AssistantBotOptions) {
    super();
    this.engine = engine;
    this.logger = logger;
    this.perConversation = perConversation ?? new RateLimiter(messagesPerMinute);
    this.logQuestions = logQuestions;
    this.review = review;
    this.conversationState = new JsonCheckedConversationState(storage);
    this.onMembersAdded(async (context, next) => {
      await this.welcomeJoiningUsers(context);
      await next();
    });
  }

  /**
   * A message, nearly every turn, goes straight to the engine; any other activity (members joining,
   * Teams events, invokes) goes through TeamsActivityHandler's dispatch. For a message that dispatch
   * is layers of handler chains that here would hold no handler but this one: under load they cost
   * about 50 us a turn, as much as a third of answering.
   */
  override async run(context: TurnContext): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- Activity.type is declared a string; it holds ActivityTypes values
    if (context.activity.type === ActivityTypes.Message) await this.answer(context);
    else await super.run(context);
    await this.conversationState.saveChanges(context);
  }

  /** The adapter's onTurnError: log, forget the conversation's context, apologise (never the error itself). */
  readonly handleTurnError = async (context: TurnContext, error: Error): Promise<void> => {
    const { type, channelId, conversation } = context.activity;
    this.logger.error({ err: error, activityType: type, channelId, conversationId: conversation?.id }, 'turn failed');
    await this.attempt('clear the conversation state', () => this.conversationState.delete(context));
    await this.attempt('send the apology', () => context.sendActivity(this.engine.message('error')));
  };

  private async welcomeJoiningUsers(context: TurnContext): Promise<void> {
    const botId = context.activity.recipient?.id;
    const usersJoined = (context.activity.membersAdded ?? []).some((member) => member.id !== botId);
    if (usersJoined) await context.sendActivity(welcomeMessage(this.engine.welcome()));
  }

  private async answer(context: TurnContext): Promise<void> {
    const started = performance.now();
    if (!(await this.perConversation.take(context.activity.conversation?.id ?? '')).allowed) return this.answerOverLimit(context, started);
    if (seesRepliesAsTheyAreSent(context.activity)) await context.sendActivity({ type: ActivityTypes.Typing });
    const conversation: ConversationData = await this.conversationState.load(context);
    const previous = conversation.followUp ?? {};
    const question = questionOf(context.activity);
    const answer = this.engine.answer(question, previous);
    conversation.followUp = nextContext(answer, previous);
    await context.sendActivity(answerMessage(answer, context.turnState.get(ARTICLE_VIEW)));
    this.answered(context, answer, started);
  }

  /**
   * Past the conversation's limit the question is still answered by the engine (it is cheap; the
   * limit guards the rest of the turn): a safety reply, a crisis above all, is never withheld. Any
   * other answer becomes the polite "please wait". The follow-up context is left as it was.
   */
  private async answerOverLimit(context: TurnContext, started: number): Promise<void> {
    const answer = this.engine.answer(questionOf(context.activity));
    if (answer.kind === 'safety') {
      await context.sendActivity(answerMessage(answer, context.turnState.get(ARTICLE_VIEW)));
      this.answered(context, answer, started);
      return;
    }
    await context.sendActivity(this.engine.message('rate_limited'));
    this.logger.info({ channelId: context.activity.channelId, kind: 'rate_limited' }, 'turn');
  }

  private answered(context: TurnContext, answer: Answer, started: number): void {
    this.review?.record(answer);
    this.logTurn(context, answer, started);
  }

  /** One line per turn (none built when the level is above info); the question itself only when LOG_QUESTIONS is set. */
  private logTurn(context: TurnContext, answer: Answer, started: number): void {
    if (!this.logger.isLevelEnabled('info')) return;
    const { intent, kind, confidence } = answer;
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const line = { channelId: context.activity.channelId, intent, kind, confidence, latencyMs };
    this.logger.info(this.logQuestions ? { ...line, question: answer.question } : line, 'turn');
  }

  private async attempt(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.logger.error({ err: error }, `could not ${what} after a failed turn`);
    }
  }
}

/**
 * Whether the channel shows each reply when the bot sends it, so a typing indicator shows while the
 * answer is made. With deliveryMode "expectReplies" the caller gets every reply at once, in the HTTP
 * response after the turn: a typing indicator would come with the answer it was to announce.
 */
function seesRepliesAsTheyAreSent(activity: Activity): boolean {
  return activity.deliveryMode !== DeliveryModes.ExpectReplies;
}
