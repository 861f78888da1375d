import { Controller, Get, HttpStatus, Post, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CancelOrderService } from '../cancel-order.service.js';
import { CreateOrderService } from '../create-order.service.js';
import { ShipOrderService } from '../ship-order.service.js';
import { OrderTimeline } from '../timeline/order-timeline.js';
import { OrderTimelineDto } from './order-timeline.dto.js';
import { OrderNotFoundError } from '../order-transitions.service.js';
import { OrderViews } from '../order-views.js';
import { OrderStateCache } from '../../order-state-cache/order-state-cache.js';
import type { z } from 'zod';
import {
  ErrorResponseDto,
  RateLimitedWrite,
  RequireScopes,
  Scope,
  ValidBody,
  ValidHeader,
  ValidParam,
  ValidQuery,
  ValidationErrorResponseDto,
} from '#http-api';
import { OrderPageDto, OrderViewDto } from './order-view.dto.js';
import {
  cancelOrderBody,
  correlationId as correlationIdHeader,
  createOrderBody,
  getOrderQuery,
  idempotencyKey as idempotencyKeyHeader,
  listOrdersQuery,
  orderId,
  shipOrderBody,
  type CreateOrderRequest,
} from './order-requests.js';
import { AdmissionInterceptor } from '../../common/admission/admission.interceptor.js';

/** The HTTP adapter of the order use cases. */
@ApiTags('orders')
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description:
    'Nothing was changed; retry after the Retry-After (with the same Idempotency-Key). PostgreSQL cannot be reached (down or ' +
    'restarting), or, for placing and cancelling, the service is past its admission bounds (writes in progress, events ' +
    'waiting to be published) and refused the request at once.',
  headers: {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', example: 1 } },
    'Retry-After-Ms': { description: 'The same in milliseconds, when the request was refused by admission control', schema: { type: 'integer', example: 250 } },
  },
})
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly createOrder: CreateOrderService,
    private readonly cancelOrder: CancelOrderService,
    private readonly shipOrder: ShipOrderService,
    private readonly timeline: OrderTimeline,
    private readonly views: OrderViews,
    private readonly cache: OrderStateCache,
  ) {}

  @Post()
  @RequireScopes(Scope.ORDERS_PLACE)
  @RateLimitedWrite()
  @UseInterceptors(AdmissionInterceptor)
  @ApiOperation({ summary: 'Place an order', description: 'Totals are computed by the server from the lines.' })
  @ApiCreatedResponse({ type: OrderViewDto, description: 'The order, in state CREATED (or as it is now, on a replay)' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Idempotency-Key reused with another body' })
  async create(
    @ValidBody(createOrderBody) body: CreateOrderRequest,
    @ValidHeader('Idempotency-Key', idempotencyKeyHeader) idempotencyKey: string | undefined,
    @ValidHeader('X-Correlation-Id', correlationIdHeader) correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    const result = await this.createOrder.create(body, idempotencyKey, correlationId?.toLowerCase());
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `/api/v1/orders/${result.order.id}`);
    return result.order;
  }

  @Get()
  @RequireScopes(Scope.ORDERS_READ)
  @ApiOperation({ summary: 'List orders, newest first, filtered by state and customer' })
  @ApiOkResponse({ type: OrderPageDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  list(@ValidQuery(listOrdersQuery) query: z.output<typeof listOrdersQuery>): Promise<OrderPageDto> {
    return this.views.list({ ...query, limit: query.limit ?? 20 });
  }

  @Get(':id')
  @RequireScopes(Scope.ORDERS_READ)
  @ApiOperation({ summary: 'One order with its lines and state history' })
  @ApiOkResponse({ type: OrderViewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto, description: 'The id is not a UUID, or an unknown consistency' })
  async get(
    @ValidParam('id', orderId) id: string,
    @ValidQuery(getOrderQuery) query: z.output<typeof getOrderQuery>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    if (query.consistency === 'eventual') {
      const cached = await this.cache.get(id);
      if (cached) {
        response.setHeader('X-Read-Source', 'cache');
        return cached;
      }
    }
    const order = await this.views.find(id);
    if (!order) throw new OrderNotFoundError(id);
    response.setHeader('X-Read-Source', 'database');
    return order;
  }

  @Get(':id/events')
  @RequireScopes(Scope.ORDERS_READ)
  @ApiOperation({
    summary: 'The order’s event timeline: every event from every service, oldest first',
    description:
      'Recorded from the events themselves as orders-api emits or applies them (type, version, time, emitting service, ' +
      'correlation, causation, trace), including events that moved nothing, such as a cancelled shipment.',
  })
  @ApiOkResponse({ type: OrderTimelineDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto, description: 'The id is not a UUID' })
  async events(@ValidParam('id', orderId) id: string): Promise<OrderTimelineDto> {
    const events = await this.timeline.of(id);
    if (!events) throw new OrderNotFoundError(id);
    return { orderId: id, events };
  }

  @Post(':id/cancel')
  @RequireScopes(Scope.ORDERS_CANCEL)
  @RateLimitedWrite()
  @UseInterceptors(AdmissionInterceptor)
  @ApiOperation({
    summary: 'Cancel an order that has not shipped',
    description:
      'The order becomes CANCELLING at once. Shipments stops the parcel, payments refunds a captured payment ' +
      '(payments.refunded) or confirms nothing was charged (payments.voided), and the order ends CANCELLED. ' +
      'If the carrier already had the parcel, the cancellation is refused downstream: the order ends SHIPPED and ' +
      'nothing is refunded. Follow it with GET /api/v1/orders/{id}.',
  })
  @ApiAcceptedResponse({ type: OrderViewDto, description: 'Cancellation accepted: the order, now CANCELLING' })
  @ApiOkResponse({ type: OrderViewDto, description: 'Already cancelling or cancelled (a retried request): the order as it is' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The order has shipped or failed and cannot be cancelled' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  async cancel(
    @ValidParam('id', orderId) id: string,
    @ValidBody(cancelOrderBody) body: z.output<typeof cancelOrderBody>,
    @ValidHeader('X-Correlation-Id', correlationIdHeader) correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    const result = await this.cancelOrder.cancel(id, body?.reason, correlationId?.toLowerCase());
    response.status(result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return result.order;
  }

  @Post(':id/ship')
  @RequireScopes(Scope.OPERATOR)
  @RateLimitedWrite()
  @UseInterceptors(AdmissionInterceptor)
  @ApiOperation({
    summary: 'Hand a prepared order to the carrier by hand (manual dispatch)',
    description:
      'For shipments running with SHIPMENT_DISPATCH=manual: the order must be SHIPMENT_PREPARED. The request is recorded and ' +
      'sent to shipments as orders.dispatch-requested (through the outbox); shipments dispatches the parcel with this tracking ' +
      'number and the order becomes SHIPPED, showing carrier, tracking number and shipped time. The same request again is ' +
      'answered with the order as it is.',
  })
  @ApiAcceptedResponse({ type: OrderViewDto, description: 'Dispatch requested: the order, still SHIPMENT_PREPARED until shipments dispatches it' })
  @ApiOkResponse({ type: OrderViewDto, description: 'This dispatch was requested already (a retried request), or has happened: the order as it is' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The order is not SHIPMENT_PREPARED, or is being (or was) dispatched with another tracking number' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  async ship(
    @ValidParam('id', orderId) id: string,
    @ValidBody(shipOrderBody) body: z.output<typeof shipOrderBody>,
    @ValidHeader('X-Correlation-Id', correlationIdHeader) correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    const result = await this.shipOrder.ship(id, body, correlationId?.toLowerCase());
    response.status(result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return result.order;
  }
}
