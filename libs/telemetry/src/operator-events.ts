import type { LoggerService } from '@nestjs/common';

/**
 * The log lines an operator searches for, by their `event` field. Names are
 * constants so a dashboard query and the code cannot drift apart; each has one
 * level, chosen by how often it happens and whether someone should look.
 */
export const OperatorEvent = {
  /** A message reached a handler (every delivery; debug: one per message). */
  EVENT_RECEIVED: 'EVENT_RECEIVED',
  /** The inbox already had the event: a redelivery or re-send, skipped. */
  DUPLICATE_EVENT: 'DUPLICATE_EVENT',
  /** An order moved from one state to another (`from`, `to`). */
  STATE_CHANGE: 'STATE_CHANGE',
  /** The payment gateway's answer for an order (`outcome`, `amountCents`). */
  PAYMENT_RESULT: 'PAYMENT_RESULT',
  /** A handler failed and the message will not be retried (terminated, or the last delivery). */
  PROCESSING_ERROR: 'PROCESSING_ERROR',
  /** A handler failed and the message comes back after `delayMs` (`attempt` of `maxDeliver`). */
  RETRY_SCHEDULED: 'RETRY_SCHEDULED',
  /** A message was dead-lettered (`reason`, `consumer`, `streamSeq`). */
  DLQ_EVENT: 'DLQ_EVENT',
} as const;

export type OperatorEventName = keyof typeof OperatorEvent;

const LEVEL: Record<OperatorEventName, 'debug' | 'log' | 'warn' | 'error'> = {
  EVENT_RECEIVED: 'debug',
  DUPLICATE_EVENT: 'log',
  STATE_CHANGE: 'log',
  PAYMENT_RESULT: 'log',
  PROCESSING_ERROR: 'error',
  RETRY_SCHEDULED: 'warn',
  DLQ_EVENT: 'error',
};

/**
 * Writes one operator event through a Nest logger: with nestjs-pino the
 * fields become top-level JSON fields next to `event` and `msg`.
 */
export function logEvent(
  logger: Pick<LoggerService, 'debug' | 'log' | 'warn' | 'error'>,
  event: OperatorEventName,
  fields: Record<string, unknown>,
  msg: string,
): void {
  const log = logger[LEVEL[event]];
  log?.call(logger, { event, ...fields, msg });
}
