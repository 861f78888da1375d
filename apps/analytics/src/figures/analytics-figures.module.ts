import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller.js';
import { AnalyticsFeed } from './analytics-feed.js';
import { AnalyticsFigures } from './analytics-figures.js';

/** GET /api/v1/analytics and its live feed. */
@Module({
  controllers: [AnalyticsController],
  providers: [AnalyticsFigures, AnalyticsFeed],
  exports: [AnalyticsFeed],
})
export class AnalyticsFiguresModule {}
