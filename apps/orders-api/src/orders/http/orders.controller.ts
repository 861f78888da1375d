import { Body, Controller, Get, Headers, HttpStatus, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CancelOrderService } from '../cancel-order.service.js';
import { CreateOrderService } from '../create-order.service.js';
import { OrderNotFoundError } from '../order-transitions.service.js';
import { OrderViews } from '../order-views.js';
import { OrderStateCache } from '../../order-state-cache/order-state-cache.js';
import { CancelOrderDto } from './cancel-order.dto.js';
import { CreateOrderDto } from './create-order.dto.js';
import { ListOrdersQuery } from './list-orders.query.js';
import { OrderPageDto, OrderViewDto } from './order-view.dto.js';
import { ErrorResponseDto, ValidationErrorResponseDto } from './error-response.dto.js';
import { uuidParam } from '../../common/validation.js';
import { AdmissionInterceptor } from '../../common/admission/admission.interceptor.js';

const correlationHeader = {
  name: 'X-Correlation-Id',
  required: false,
  description: 'UUID that ties this request to the events it causes; generated when absent',
};

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
    private readonly views: OrderViews,
    private readonly cache: OrderStateCache,
  ) {}

  @Post()
  @UseInterceptors(AdmissionInterceptor)
  @ApiOperation({ summary: 'Place an order', description: 'Totals are computed by the server from the lines.' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body: the first order is returned again. Same key, other body: 409.',
  })
  @ApiHeader(correlationHeader)
  @ApiCreatedResponse({ type: OrderViewDto, description: 'The order, in state CREATED (or as it is now, on a replay)' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Idempotency-Key reused with another body' })
  async create(
    @Body() body: CreateOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    const result = await this.createOrder.create(body, idempotencyKey || undefined, validUuid(correlationId));
    if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
    response.setHeader('Location', `/api/v1/orders/${result.order.id}`);
    return result.order;
  }

  @Get()
  @ApiOperation({ summary: 'List orders, newest first, filtered by state and customer' })
  @ApiOkResponse({ type: OrderPageDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  list(@Query() query: ListOrdersQuery): Promise<OrderPageDto> {
    return this.views.list({ ...query, limit: query.limit ?? 20 });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One order with its lines and state history',
    description:
      'Read from PostgreSQL by default. With `?consistency=eventual` it is served from the order_state ' +
      'KV bucket (falling back to PostgreSQL when the bucket does not have it yet); the `X-Read-Source` header says which.',
  })
  @ApiOkResponse({ type: OrderViewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto, description: 'The id is not a UUID' })
  async get(
    @Param('id', uuidParam('id')) id: string,
    @Query('consistency') consistency: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    if (consistency === 'eventual') {
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

  @Post(':id/cancel')
  @UseInterceptors(AdmissionInterceptor)
  @ApiOperation({
    summary: 'Cancel an order that has not shipped',
    description:
      'The order becomes CANCELLING at once. Shipments stops the parcel, payments refunds a captured payment ' +
      '(payments.refunded) or confirms nothing was charged (payments.voided), and the order ends CANCELLED. ' +
      'If the carrier already had the parcel, the cancellation is refused downstream: the order ends SHIPPED and ' +
      'nothing is refunded. Follow it with GET /api/v1/orders/{id}.',
  })
  @ApiHeader(correlationHeader)
  @ApiAcceptedResponse({ type: OrderViewDto, description: 'Cancellation accepted: the order, now CANCELLING' })
  @ApiOkResponse({ type: OrderViewDto, description: 'Already cancelling or cancelled (a retried request): the order as it is' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The order has shipped or failed and cannot be cancelled' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  async cancel(
    @Param('id', uuidParam('id')) id: string,
    @Body() body: CancelOrderDto,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OrderViewDto> {
    const result = await this.cancelOrder.cancel(id, body?.reason, validUuid(correlationId));
    response.status(result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return result.order;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A correlation id that is not a UUID is ignored rather than refused: it is only a tracing aid. */
function validUuid(value: string | undefined): string | undefined {
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}
