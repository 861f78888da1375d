import { Controller, Get, Sse, type MessageEvent } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { RequireScopes, Scope } from '#http-api';
import { AnalyticsFeed } from './analytics-feed.js';
import { AnalyticsFigures } from './analytics-figures.js';
import { AnalyticsDto } from './http/analytics.dto.js';

@ApiTags('analytics')
@RequireScopes(Scope.ORDERS_READ)
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsFigures,
    private readonly feed: AnalyticsFeed,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Business figures: order counts, revenue and average order value per currency, top customers and products, orders per minute',
    description:
      'Computed from the order, inventory and payment events the analytics service consumed: an order earns revenue once paid, ' +
      'until refunded; rejected counts the orders inventory rejected for want of stock.',
  })
  @ApiOkResponse({ type: AnalyticsDto })
  figures(): Promise<AnalyticsDto> {
    return this.analytics.read();
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'The same figures as a live feed (Server-Sent Events)',
    description:
      'An `analytics` event with the current figures at once, then one after changes, at most every 500 ms. ' +
      'The API key goes in the X-API-Key header (use fetch or an EventSource polyfill that sends headers).',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ type: AnalyticsDto, description: 'A stream of `analytics` events, each data an AnalyticsDto as JSON' })
  stream(): Observable<MessageEvent> {
    return this.feed.figures().pipe(map((figures) => ({ type: 'analytics', data: figures })));
  }
}
