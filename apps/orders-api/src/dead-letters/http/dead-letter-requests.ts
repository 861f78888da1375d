import { z } from 'zod';
import { Consumers, DeadLetterReason, DeadLetterStatus, OrderCreated } from '#contracts';
import { fields } from '#http-api';

/** What the dead-letter routes accept: validation and OpenAPI document alike. */

const reasons = Object.values(DeadLetterReason) as [DeadLetterReason, ...DeadLetterReason[]];
const statuses = Object.values(DeadLetterStatus) as [DeadLetterStatus, ...DeadLetterStatus[]];

/** Which dead letters a list or a bulk replay is about; every field narrows. */
const filterShape = {
  consumer: fields.text({ max: 256, example: Consumers.paymentsOnInventoryReserved.durable, description: 'Durable name of the consumer that gave up' }).optional(),
  subject: fields.text({ max: 256, example: OrderCreated.subject, description: 'The original subject, exactly' }).optional(),
  reason: fields.oneOf(reasons, { example: DeadLetterReason.MAX_DELIVERIES }).optional(),
  status: fields.oneOf(statuses, { example: DeadLetterStatus.PENDING }).optional(),
  from: fields.dateTime({ example: '2026-11-22T00:00:00Z', description: 'Dead-lettered at or after' }).optional(),
  to: fields.dateTime({ example: '2026-11-23T00:00:00Z', description: 'Dead-lettered before' }).optional(),
};

export const listDeadLettersQuery = z.strictObject({
  ...filterShape,
  limit: fields.queryInteger({ min: 1, max: 100, default: 20 }).optional(),
  cursor: fields.uuid({ description: 'The `nextCursor` of the previous page (dead letters come newest first)' }).optional(),
});
export type ListDeadLettersQuery = z.output<typeof listDeadLettersQuery>;

export const replayDeadLettersBody = z
  .strictObject({
  ...filterShape,
  status: fields
    .oneOf(statuses, {
      example: DeadLetterStatus.PENDING,
      description: 'Only PENDING dead letters unless another status is named; DISCARDED and RESOLVED ones are always skipped',
    })
    .optional(),
  limit: fields.integer({ min: 1, max: 1000, description: 'Replays at most this many, oldest first (default 100)' }).optional(),
  })
  // No body at all: every PENDING dead letter, up to the default limit.
  .default({});
export type ReplayDeadLettersRequest = z.output<typeof replayDeadLettersBody>;

export const discardDeadLetterBody = z.strictObject({
  reason: fields.text({ max: 500, example: 'order was refunded by hand; the event is obsolete' }),
});

export const deadLetterId = fields.uuid({ example: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c', description: 'The dead letter id' });
