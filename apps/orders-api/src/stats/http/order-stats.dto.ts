import { ApiProperty } from '@nestjs/swagger';
import { OrderState } from '#contracts';

export class StateCountDto {
  @ApiProperty({ enum: Object.values(OrderState), example: OrderState.SHIPPED })
  state: OrderState;

  @ApiProperty({ example: 120 })
  orders: number;
}

export class RevenueDto {
  @ApiProperty({ example: 'EUR', description: 'Amounts are never added across currencies' })
  currency: string;

  @ApiProperty({ example: 96, description: 'Paid-or-later orders in this currency' })
  orders: number;

  @ApiProperty({ example: 307_008, description: 'Sum of their totals, in cents' })
  revenueCents: number;

  @ApiProperty({ example: 3198, description: 'revenueCents / orders, rounded to a cent' })
  averageOrderValueCents: number;
}

export class TopCustomerDto {
  @ApiProperty({ example: 'cust-42' })
  customerId: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 7, description: 'Paid-or-later orders' })
  orders: number;

  @ApiProperty({ example: 22_386 })
  revenueCents: number;
}

export class TopProductDto {
  @ApiProperty({ example: 'SKU-1' })
  sku: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 31, description: 'Units sold in paid-or-later orders' })
  quantity: number;

  @ApiProperty({ example: 15_469, description: 'Sum of those lines’ totals, in cents' })
  revenueCents: number;
}

export class ThroughputDto {
  @ApiProperty({ example: 60, description: 'The window the rates are measured over, ending now' })
  windowSeconds: number;

  @ApiProperty({ example: 1200, description: 'Orders created in the window' })
  ordersCreated: number;

  @ApiProperty({ example: 1180, description: 'Orders that reached SHIPPED, FAILED or CANCELLED in the window' })
  ordersCompleted: number;

  @ApiProperty({ example: 20, description: 'ordersCreated / windowSeconds' })
  createdPerSecond: number;

  @ApiProperty({ example: 19.67, description: 'ordersCompleted / windowSeconds' })
  completedPerSecond: number;
}

export class OrderStatsDto {
  @ApiProperty({ type: [StateCountDto], description: 'Every state, zeros included' })
  ordersByState: StateCountDto[];

  @ApiProperty({
    type: [RevenueDto],
    description: 'Revenue per currency: the totals of orders that are PAID, SHIPMENT_PREPARED or SHIPPED (paid or later)',
  })
  revenue: RevenueDto[];

  @ApiProperty({ type: [TopCustomerDto], description: 'The five customers with the most revenue' })
  topCustomers: TopCustomerDto[];

  @ApiProperty({ type: [TopProductDto], description: 'The five products sold in the largest quantities' })
  topProducts: TopProductDto[];

  @ApiProperty({ type: ThroughputDto })
  throughput: ThroughputDto;
}
