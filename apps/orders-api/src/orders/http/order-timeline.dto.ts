import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaymentSucceeded, Streams } from '#contracts';
import type { TimelineEvent } from '../timeline/order-timeline.js';

export class TimelineEventDto implements TimelineEvent {
  @ApiProperty({ format: 'uuid', example: '01936c4e-7f00-7a1b-8c2d-3e4f5a6b7c8d', description: 'The event id (its Nats-Msg-Id)' })
  id: string;

  @ApiProperty({ example: PaymentSucceeded.type })
  type: string;

  @ApiProperty({ example: 1 })
  schemaVersion: number;

  @ApiProperty({ example: Streams.PAYMENTS.service, description: 'The service that emitted it (its stream’s owner)' })
  service: string;

  @ApiProperty({ example: '2026-11-22T10:15:30.412Z', description: 'When the emitting service says it happened' })
  occurredAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The request (or first event) the whole chain started from' })
  correlationId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid', description: 'The event (or request) that caused this one' })
  causationId: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '4bf92f3577b34da6a3ce929d0e0e4736', description: 'The trace it travelled in, when tracing is on (open it in Jaeger)' })
  traceId: string | null;
}

export class OrderTimelineDto {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ type: [TimelineEventDto], description: 'Every event of the order from every service, oldest first' })
  events: TimelineEventDto[];
}
