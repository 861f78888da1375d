import { ForbiddenException, HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import type { z } from 'zod';
import { Scope, WriteRateLimit, consumeWrite, validateInput, validationFailed, type ApiClient } from '#http-api';
import { AdmissionInterceptor } from '../common/admission/admission.interceptor.js';
import { CancelOrderService } from '../orders/cancel-order.service.js';
import { CreateOrderService } from '../orders/create-order.service.js';
import { cancelOrderBody, createOrderBody } from '../orders/http/order-requests.js';
import { OrderNotFoundError } from '../orders/order-transitions.service.js';
import { OrderViews } from '../orders/order-views.js';
import { RetryLaterError } from './error-frames.js';
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
    private readonly admission: AdmissionInterceptor,
    /** Optional as for the HTTP guard: an app without ApiAccessModule has no limits. */
    @Optional() @Inject(WriteRateLimit) private readonly rateLimit?: WriteRateLimit,
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
    const result = await this.write(client, () => this.createOrder.create(validBody(createOrderBody, command.body), command.idempotencyKey));
    // REST answers a replay 201 too, saying so in Idempotent-Replayed.
    return { reply: { ...reply(command, HttpStatus.CREATED, result.order), ...(result.replayed ? { replayed: true } : {}) } };
  }

  private async cancel(client: ApiClient, command: CommandOf<'cancel-order'>): Promise<CommandOutcome> {
    requireScope(client, Scope.ORDERS_CANCEL);
    const result = await this.write(client, () => this.cancelOrder.cancel(command.orderId, validBody(cancelOrderBody, command.body)?.reason));
    return { reply: reply(command, result.accepted ? HttpStatus.ACCEPTED : HttpStatus.OK, result.order) };
  }

  /**
   * A write as the REST write routes run it, in their order: counted
   * against the client's rate limit (the same count as its HTTP writes),
   * admitted by the same admission control (the same count of writes in
   * progress), then validated and run.
   */
  private async write<T>(client: ApiClient, run: () => Promise<T>): Promise<T> {
    const limited = this.rateLimit && (await consumeWrite(this.rateLimit, `key:${client.name}`));
    if (limited) throw new RetryLaterError(limited.error, limited.retryAfterSeconds * 1_000);
    const admission = this.admission.admit();
    if ('refused' in admission) throw new RetryLaterError(admission.refused, admission.retryAfterMs);
    try {
      return await run();
    } finally {
      admission.release();
    }
  }

  /**
   * Subscribes first, waits for the bucket's watch (it runs only while
   * someone is subscribed), and reads the order after, so that no change
   * commits unseen in between: a change may then arrive twice (as an event
   * and in the view read), never not at all. The client keeps the highest
   * version.
   */
  private async subscribe(socket: LiveSocket, client: ApiClient, command: CommandOf<'subscribe'>): Promise<CommandOutcome> {
    requireScope(client, Scope.ORDERS_READ);
    if (command.all) {
      this.subscriptions.subscribeAll(socket);
      await this.subscriptions.whenFed().catch((error: unknown) => {
        this.subscriptions.unsubscribeAll(socket);
        throw error;
      });
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
    // Updates flow before the view is read: a change in between arrives as an event.
    const view = await this.subscriptions.whenFed().then(() => this.views.find(orderId)).catch((error: unknown) => {
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
