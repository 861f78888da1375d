import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from './log-options.js';

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
  /** A dead letter needs nothing: its consumer applied the event all the same (`consumer`, `eventId`). */
  DLQ_RESOLVED: 'DLQ_RESOLVED',
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
  DLQ_RESOLVED: 'log',
};

/** pino's level numbers, to compare an event's level with the logger's. */
const SEVERITY: Record<LogLevel | (typeof LEVEL)[OperatorEventName], number> = {
  trace: 10,
  debug: 20,
  log: 30,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

let threshold = SEVERITY.info;

/** Tells isLogged() the service's LOG_LEVEL (ServiceCoreModule does, at start). */
export function setOperatorEventLevel(level: LogLevel): void {
  threshold = SEVERITY[level];
}

/**
 * Whether the event would be written at the configured level. For events on
 * the hot path (EVENT_RECEIVED, once per message): check first, so that at
 * the default level their fields are not even built.
 */
export function isLogged(event: OperatorEventName): boolean {
  return SEVERITY[LEVEL[event]] >= threshold;
}

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
