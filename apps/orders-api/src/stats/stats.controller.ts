import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes, Scope } from '#http-api';
import { OrderStatsDto } from './http/order-stats.dto.js';
import { OrderStatsService } from './order-stats.service.js';

@ApiTags('stats')
@RequireScopes(Scope.ORDERS_READ)
@Controller('stats')
export class StatsController {
  constructor(private readonly orderStats: OrderStatsService) {}

  @Get()
  @ApiOperation({
    summary: 'Business figures: orders by state, revenue, top customers and products, throughput',
    description:
      'Revenue counts orders that are PAID, SHIPMENT_PREPARED or SHIPPED, per currency. ' +
      'Throughput is over the last 60 seconds: orders created, and orders that reached a terminal state.',
  })
  @ApiOkResponse({ type: OrderStatsDto })
  stats(): Promise<OrderStatsDto> {
    return this.orderStats.stats();
  }
}
