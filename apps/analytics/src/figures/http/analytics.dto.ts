import { ApiProperty } from '@nestjs/swagger';

export class OrderCountsDto {
  @ApiProperty({ example: 120, description: 'Orders placed (orders.created applied)' })
  created: number;

  @ApiProperty({ example: 96, description: 'Orders that earn revenue: paid, and not refunded' })
  paid: number;

  @ApiProperty({ example: 20, description: 'Orders whose payment failed (declined or gateway gave up)' })
  failed: number;

  @ApiProperty({ example: 4, description: 'Orders the customer cancelled (orders.cancelled)' })
  cancelled: number;

  @ApiProperty({ example: 2, description: 'Cancelled orders whose payment was refunded' })
  refunded: number;

  @ApiProperty({ example: 0, description: 'Orders rejected for want of stock: always 0 until the inventory service exists (inventory.rejected)' })
  rejected: number;
}

export class CurrencyRevenueDto {
  @ApiProperty({ example: 'EUR', description: 'Amounts are never added across currencies' })
  currency: string;

  @ApiProperty({ example: 120, description: 'Orders placed in this currency' })
  ordersCreated: number;

  @ApiProperty({ example: 96, description: 'Of them, paid and not refunded' })
  ordersPaid: number;

  @ApiProperty({ example: 307_008, description: 'What those orders paid, in cents' })
  revenueCents: number;

  @ApiProperty({ example: 3_198, description: 'Revenue taken back by refunds, in cents' })
  refundedCents: number;

  @ApiProperty({ example: 3198, description: 'revenueCents / ordersPaid, rounded to a cent (0 without paid orders)' })
  averageOrderValueCents: number;
}

export class TopCustomerDto {
  @ApiProperty({ example: 'cust-42' })
  customerId: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 7, description: 'Paid, not refunded orders' })
  orders: number;

  @ApiProperty({ example: 22_386 })
  revenueCents: number;
}

export class TopProductDto {
  @ApiProperty({ example: 'SKU-1' })
  sku: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 31, description: 'Units sold in paid, not refunded orders' })
  quantity: number;

  @ApiProperty({ example: 15_469, description: 'Sum of those lines’ totals, in cents' })
  revenueCents: number;
}

export class MinuteCountDto {
  @ApiProperty({ example: '2026-12-02T03:04:00Z', description: 'The minute (UTC) the orders were placed in, by their orders.created time' })
  minute: string;

  @ApiProperty({ example: 1200 })
  orders: number;
}

export class AnalyticsDto {
  @ApiProperty({ type: OrderCountsDto })
  orders: OrderCountsDto;

  @ApiProperty({ type: [CurrencyRevenueDto], description: 'Order count, revenue and average order value per currency' })
  revenue: CurrencyRevenueDto[];

  @ApiProperty({ type: [TopCustomerDto], description: 'The five customers with the most revenue' })
  topCustomers: TopCustomerDto[];

  @ApiProperty({ type: [TopProductDto], description: 'The five products sold in the largest quantities' })
  topProducts: TopProductDto[];

  @ApiProperty({ type: [MinuteCountDto], description: 'Orders placed per minute over the last 60 minutes (minutes without orders left out)' })
  ordersPerMinute: MinuteCountDto[];

  @ApiProperty({ example: '2026-12-02T03:04:05.678Z', description: 'When these figures were computed (the database clock)' })
  generatedAt: string;
}
