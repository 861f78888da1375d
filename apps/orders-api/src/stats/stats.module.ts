import { Module } from '@nestjs/common';
import { OrderStatsService } from './order-stats.service.js';
import { StatsController } from './stats.controller.js';

/** GET /api/v1/stats. */
@Module({
  controllers: [StatsController],
  providers: [OrderStatsService],
})
export class StatsModule {}
