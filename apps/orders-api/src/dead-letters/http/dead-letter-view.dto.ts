import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Consumers,
  DeadLetterReason,
  DeadLetterStatus,
  Headers,
  OrderCreated,
  Streams,
  deadLetterSubject,
  replayMsgId,
} from '#contracts';
import type { DeadLetterDetail, DeadLetterPage, DeadLetterReplayView, DeadLetterSummary, HeaderRecord } from '#dead-letters';

const exampleId = '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c';
const exampleEventId = '01936c4e-7f00-7a1b-8c2d-3e4f5a6b7c8d';
const exampleConsumer = Consumers.paymentsOnInventoryReserved;
const exampleEnvelope = {
  id: exampleEventId,
  type: OrderCreated.type,
  schemaVersion: OrderCreated.schemaVersion,
  occurredAt: '2026-11-22T10:15:30.000Z',
  aggregateId: exampleId,
  correlationId: exampleEventId,
  causationId: exampleEventId,
  payload: {
    orderId: exampleId,
    customerId: 'cust-42',
    currency: 'EUR',
    lines: [{ sku: 'SKU-COFFEE-1KG', quantity: 2, unitPriceCents: 1599 }],
    totalCents: 3198,
  },
};

export class DeadLetterSummaryDto implements DeadLetterSummary {
  @ApiProperty({ format: 'uuid', example: exampleId })
  id: string;

  @ApiProperty({ example: Streams.ORDERS.name, description: 'The stream the message is in' })
  sourceStream: string;

  @ApiProperty({ example: 1042, description: 'The message’s sequence in its stream' })
  streamSeq: number;

  @ApiProperty({ example: exampleConsumer.durable, description: 'Durable name of the consumer that gave up' })
  consumer: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: OrderCreated.subject, description: 'Null when the message had left its stream before it was recorded' })
  originalSubject: string | null;

  @ApiProperty({
    enum: Object.values(DeadLetterReason),
    example: DeadLetterReason.MAX_DELIVERIES,
    description:
      'max_deliveries: not acknowledged in max_deliver deliveries (errors or timeouts); invalid: terminated as not a valid event; ' +
      'terminated: a valid event the handler rejected as permanently failing',
  })
  reason: DeadLetterReason;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'not acknowledged in 5 deliveries (handler errors or ack-wait timeouts; see the consumer’s logs).' })
  detail: string | null;

  @ApiProperty({ example: 5, description: 'Deliveries before the consumer gave up' })
  deliveries: number;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', example: exampleEventId, description: 'From the envelope, else from Nats-Msg-Id' })
  eventId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: OrderCreated.type })
  eventType: string | null;

  @ApiProperty({
    enum: Object.values(DeadLetterStatus),
    example: DeadLetterStatus.PENDING,
    description: 'PENDING: work left undone, to replay or discard. RESOLVED: its consumer applied the event all the same (see resolution); nothing to do',
  })
  status: DeadLetterStatus;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  discardReason: string | null;

  @ApiPropertyOptional({ type: String,
    nullable: true,
    example: null,
    description: 'Why a RESOLVED dead letter needs nothing: which consumer applied its event, and when',
  })
  resolution: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  resolvedAt: string | null;

  @ApiProperty({ example: 0 })
  replayCount: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  lastReplayedAt: string | null;

  @ApiPropertyOptional({ type: Number,
    nullable: true,
    example: 17,
    description: `Sequence of the copy in the DEAD_LETTERS stream (subject ${deadLetterSubject(exampleConsumer.stream, exampleConsumer.durable)})`,
  })
  deadLetterSeq: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-22T10:15:30.123Z', description: 'When the stream stored the original' })
  originalTime: string | null;

  @ApiProperty({ example: '2026-11-22T10:15:42.500Z', description: 'When it was dead-lettered' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-22T10:15:42.500Z' })
  updatedAt: string;

  @ApiProperty({ example: 1, description: 'Increments on every change (optimistic locking)' })
  version: number;
}

export class DeadLetterReplayDto implements DeadLetterReplayView {
  @ApiProperty({ format: 'uuid', example: '01936c50-1a2b-7c3d-8e4f-5a6b7c8d9e0f' })
  id: string;

  @ApiProperty({ example: '2026-11-22T11:00:00.000Z' })
  requestedAt: string;

  @ApiProperty({ example: replayMsgId(exampleId, 1), description: 'The Nats-Msg-Id the replay was published with' })
  publishedMsgId: string;

  @ApiProperty({ enum: ['stored', 'duplicate'], example: 'stored', description: 'duplicate: a retried replay the server already had' })
  result: string;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 2051, description: 'Sequence of the replayed message in its stream' })
  publishedSeq: number | null;
}

export class DeadLetterDetailDto extends DeadLetterSummaryDto implements DeadLetterDetail {
  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'The body parsed as JSON (the event envelope, for a valid event); null when it is not JSON',
    example: exampleEnvelope,
  })
  payload: unknown;

  @ApiPropertyOptional({ type: String, nullable: true, example: JSON.stringify(exampleEnvelope), description: 'The body exactly as received' })
  body: string | null;

  @ApiProperty({ enum: ['utf8', 'base64'], example: 'utf8', description: 'base64 when the body is not UTF-8 text' })
  bodyEncoding: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    example: { [Headers.MSG_ID]: exampleEventId, [Headers.TRACEPARENT]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    description: 'The original message headers (an array when a header repeats)',
  })
  headers: HeaderRecord;

  @ApiProperty({ type: [DeadLetterReplayDto], description: 'Every replay, oldest first' })
  replays: DeadLetterReplayDto[];
}

export class DeadLetterPageDto implements DeadLetterPage {
  @ApiProperty({ type: [DeadLetterSummaryDto] })
  items: DeadLetterSummaryDto[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
