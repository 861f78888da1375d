import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderState } from '#contracts';
import { PricedOrderLineDto } from './order-line.dto.js';
import { ShippingDto } from './order-shipping.dto.js';

const states = Object.values(OrderState);

export class OrderStateChangeDto {
  @ApiPropertyOptional({ enum: states, nullable: true, example: OrderState.PAYMENT_PENDING })
  from: OrderState | null;

  @ApiProperty({ enum: states, example: OrderState.PAID })
  to: OrderState;

  @ApiProperty({ example: 3, description: 'The order version this change produced' })
  version: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: null })
  reason: string | null;

  @ApiProperty({ example: '2026-11-22T10:15:30.123Z' })
  occurredAt: string;
}

export class OrderViewDto {
  @ApiProperty({ format: 'uuid', example: '01936c4e-8a8f-7c3e-9b1a-2f4d5e6a7b8c' })
  id: string;

  @ApiProperty({ example: 'cust-42' })
  customerId: string;

  @ApiProperty({ enum: states, example: OrderState.SHIPPED })
  state: OrderState;

  @ApiProperty({ example: 5, description: 'Increments on every change (optimistic locking)' })
  version: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 3198 })
  totalCents: number;

  @ApiProperty({ type: [PricedOrderLineDto] })
  lines: PricedOrderLineDto[];

  @ApiPropertyOptional({ type: ShippingDto, nullable: true, description: 'Who receives the parcel and where, as given when the order was placed; null when not given' })
  shipping: ShippingDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'Why the order failed, when it did' })
  failureReason: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'DHL', description: 'Who carries the parcel, once shipped (MANUAL for a hand-off without a named carrier)' })
  carrier: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'JD014600003828744567', description: 'The carrier’s tracking number, once shipped' })
  trackingNumber: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-22T10:15:31.250Z', description: 'When the carrier took the parcel' })
  shippedAt: string | null;

  @ApiProperty({ example: '2026-11-22T10:15:30.000Z' })
  createdAt: string;

  @ApiProperty({ example: '2026-11-22T10:15:31.250Z' })
  updatedAt: string;

  @ApiProperty({ type: [OrderStateChangeDto], description: 'Every state change, oldest first' })
  history: OrderStateChangeDto[];
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderViewDto] })
  items: OrderViewDto[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
