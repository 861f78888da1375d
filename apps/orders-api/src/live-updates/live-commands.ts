import { ForbiddenException, HttpStatus, Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { Scope, validateInput, validationFailed, type ApiClient } from '#http-api';
import { CancelOrderService } from '../orders/cancel-order.service.js';
import { CreateOrderService } from '../orders/create-order.service.js';
import { cancelOrderBody, createOrderBody } from '../orders/http/order-requests.js';
import { OrderNotFoundError } from '../orders/order-transitions.service.js';
import { OrderViews } from '../orders/order-views.js';
import { LiveUpdatesSettings } from './live-updates-settings.js';
import type { LiveSocket } from './live-socket.js';
import { orderUpdatedFrame } from './order-updated-frame.js';
import type { Command, CommandOf, Reply } from './protocol.js';
import { LiveSubscriptions } from './live-subscriptions.js';

export interface CommandOutcome {
  reply: Reply;
  /** A frame to send after the reply: the order's current view, for a subscribe. */
  then?: Buffer;
}

/**
 * The WebSocket adapter of the order use cases: each command runs the use
 * case the REST route runs, after the same scope check and the same
 * validation (the route's own zod schemas), and is answered with the status
 * and body the route gives. Errors are thrown as the route throws them;
 * errorFrame turns them into the route's answer.
 */
@Injectable()
export class LiveCommands {
  constructor(
    private readonly createOrder: CreateOrderService,
    private readonly cancelOrder: CancelOrderService,
    private readonly views: OrderViews,
    private readonly subscriptions: LiveSubscriptions,
    private readonly settings: LiveUpdatesSettings,
  ) {}

  run(socket: LiveSocket, client: ApiClient, command: Command): Promise<CommandOutcome> {
    switch (command.action) {
      case 'place-order':
        return this.place(client, command);
      case 'cancel-order':
        return this.cancel(client, command);
      case 'subscribe':
        return this.subscribe(socket, client, command);
      case 'unsubscribe':
        return Promise.resolve(this.unsubscribe(socket, command));
    }
  }

  private async place(client: ApiClient, command: CommandOf<'place-order'>): Promise<CommandOutcome> {
    requireScope(client, Scope.ORDERS_PLACE);
    const body = validBody(createOrderBody, command.body);
    const result = await this.createOrder.create(body, command.idempotencyKey);
    // REST answers a replay 201 too, saying so in Idempotent-Replayed.
    return { reply: { ...reply(command, HttpStatus.CREATED, result.order), ...(result.replayed ? { replayed: true } : {}) } };
  }

  private async cancel(client: ApiClient, command: CommandOf<'cancel-order'>): Promise<CommandOutcome> {
    requireScope(client, Scope.ORDERS_CANCEL);
    const body = validBody(cancelOrderBody, command.body);
    const result = await this.cancelOrder.cancel(command.orderId, body?.reason);
    return { reply: reply(command, result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK, result.order) };
  }

  /**
   * Subscribes first and reads the order after, so that no change commits
   * unseen in between: a change may then arrive twice (as an event and in
   * the view read), never not at all. The client keeps the highest version.
   */
  private async subscribe(socket: LiveSocket, client: ApiClient, command: CommandOf<'subscribe'>): Promise<CommandOutcome> {
    requireScope(client, Scope.ORDERS_READ);
    if (command.all) {
      this.subscriptions.subscribeAll(socket);
      return { reply: reply(command, HttpStatus.OK, { subscribed: 'all' }) };
    }
    const orderId = command.orderId!;
    const max = this.settings.maxSubscriptions;
    if (!this.subscriptions.follows(socket, orderId) && this.subscriptions.countOf(socket) >= max) {
      throw validationFailed([
        { field: 'orderId', rule: 'max', reason: `orderId is one order too many: a socket follows at most ${max} orders by id (or subscribes to "all")` },
      ]);
    }
    this.subscriptions.subscribe(socket, orderId);
    const view = await this.views.find(orderId).catch((error: unknown) => {
      this.subscriptions.unsubscribe(socket, orderId);
      throw error;
    });
    if (!view) {
      this.subscriptions.unsubscribe(socket, orderId);
      throw new OrderNotFoundError(orderId);
    }
    const newer = command.sinceVersion === undefined || view.version > command.sinceVersion;
    return {
      reply: reply(command, HttpStatus.OK, { subscribed: orderId, version: view.version }),
      ...(newer ? { then: orderUpdatedFrame(JSON.stringify(view)) } : {}),
    };
  }

  private unsubscribe(socket: LiveSocket, command: CommandOf<'unsubscribe'>): CommandOutcome {
    if (command.all) this.subscriptions.unsubscribeAll(socket);
    else this.subscriptions.unsubscribe(socket, command.orderId!);
    return { reply: reply(command, HttpStatus.OK, { unsubscribed: command.all ? 'all' : command.orderId! }) };
  }
}

function reply(command: Command, status: number, body: unknown): Reply {
  return { type: 'reply', id: command.id, action: command.action, status, body };
}

/** The same refusal, in the same words, as ApiKeyGuard's for a route. */
function requireScope(client: ApiClient, scope: Scope): void {
  if (!client.scopes.has(scope)) throw new ForbiddenException(`The API key "${client.name}" lacks the scope ${scope}.`);
}

/** A command's body, checked as the REST route checks its request body (ValidBody). */
function validBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = validateInput(schema, body, 'body', 'body');
  if (!result.ok) throw validationFailed(result.errors);
  return result.value;
}
