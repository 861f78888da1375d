import { ApiProperty } from '@nestjs/swagger';
import { Consumers, OrderCreated, OutboxBacklogReports, Streams } from '#contracts';
import type { ConsumerState } from './consumer-states.js';
import type { OperationsSnapshot } from './operations-snapshot.js';
import type { OutboxBacklogView } from './outbox-backlog-summary.js';
import type { StageRate } from './stage-rates.js';

const exampleConsumer = Consumers.paymentsOnInventoryReserved;
const reportEverySeconds = OutboxBacklogReports.reportEveryMs / 1_000;
const reportsLiveSeconds = OutboxBacklogReports.maxAgeMs / 1_000;

export class ConsumerStateDto implements ConsumerState {
  @ApiProperty({ example: exampleConsumer.stream, description: 'The stream the consumer reads' })
  stream: string;

  @ApiProperty({ example: exampleConsumer.durable, description: 'Durable name of the consumer' })
  name: string;

  @ApiProperty({ example: exampleConsumer.service, description: 'The service that runs it' })
  service: string;

  @ApiProperty({ example: exampleConsumer.filterSubject, description: 'The subjects it reads (one subject or a wildcard)' })
  filterSubject: string;

  @ApiProperty({ example: true, description: 'False while the consumer does not exist on the server (its service never started); the counts are null then' })
  found: boolean;

  @ApiProperty({ type: 'integer', nullable: true, example: 12, description: 'Messages in the stream for it, not yet delivered' })
  pending: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 3, description: 'Messages delivered and not yet acknowledged (being worked on, or waiting for their ack wait)' })
  ackPending: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 0, description: 'Of those, messages delivered more than once (retries after an error or an ack-wait expiry)' })
  redelivered: number | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: 'Pull requests waiting for messages: 0 means no instance of its service is pulling' })
  waiting: number | null;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    example: '2026-12-01T12:00:29.512Z',
    description: 'Its last delivery or acknowledgement, whichever is later; null before the first',
  })
  lastActiveAt: string | null;
}

export class StageRateDto implements StageRate {
  @ApiProperty({
    example: 'reserved',
    description:
      'The saga step: created, reserved, charging, paid, prepared, shipped, stock-committed, then the ways out and the compensations ' +
      '(rejected, payment-failed, cancel-requested, shipment-cancelled, refunded, voided, stock-released)',
  })
  name: string;

  @ApiProperty({ example: OrderCreated.subject, description: 'The event subject that says the step happened' })
  subject: string;

  @ApiProperty({ example: Streams.ORDERS.name, description: 'The stream the event is in' })
  stream: string;

  @ApiProperty({
    example: 41.5,
    description:
      'Events produced per second over the last windowSeconds (the change of the stream’s message count on the subject, ' +
      'sampled by orders-api); 0 until two samples were taken',
  })
  perSecond: number;

  @ApiProperty({ type: 'integer', example: 12840, description: 'Messages the stream holds on the subject, as last sampled' })
  total: number;

  @ApiProperty({ example: 20, description: 'Seconds the rate is measured over (OPERATIONS_RATE_WINDOW_MS once orders-api has sampled that long)' })
  windowSeconds: number;
}

export class OutboxBacklogDto implements OutboxBacklogView {
  @ApiProperty({ example: 'payments', description: 'The service whose outbox it is' })
  service: string;

  @ApiProperty({ type: 'integer', example: 2, description: `Instances of it that reported within the last ${reportsLiveSeconds} s (0: none is running, or none can reach NATS)` })
  instances: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 0,
    description:
      'Events committed to its outbox and not yet published, from its newest report (every instance measures the one table ' +
      'its replicas share, so this is not a sum); null when no instance reports',
  })
  backlog: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null, description: 'Age in seconds of the oldest of them; null when there are none or no report' })
  oldestAgeSeconds: number | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-12-01T12:00:27.004Z', description: `When the newest report was measured; each instance reports every ${reportEverySeconds} s` })
  reportedAt: string | null;
}

export class DeadLetterCountDto {
  @ApiProperty({ type: 'integer', example: 0, description: 'Dead letters PENDING: work left undone, to replay or discard (GET /api/v1/dead-letters?status=PENDING)' })
  open: number;
}

export class OperationsViewDto implements OperationsSnapshot {
  @ApiProperty({ format: 'date-time', example: '2026-12-01T12:00:30.000Z', description: 'When these figures were gathered (they are shared for about a second)' })
  at: string;

  @ApiProperty({ type: [ConsumerStateDto], description: 'Every durable consumer the contracts declare, the pipeline’s and the dead-letter office’s' })
  consumers: ConsumerStateDto[];

  @ApiProperty({ type: [StageRateDto], description: 'The saga’s steps in the order an order meets them, with the rate of their events' })
  stages: StageRateDto[];

  @ApiProperty({ type: [OutboxBacklogDto], description: 'Every service’s outbox backlog, as its instances report it' })
  outbox: OutboxBacklogDto[];

  @ApiProperty({ type: DeadLetterCountDto })
  deadLetters: DeadLetterCountDto;
}
