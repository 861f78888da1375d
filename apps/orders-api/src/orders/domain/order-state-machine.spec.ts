import { describe, it, expect } from '@jest/globals';
import { OrderState } from '#contracts';
import { ORDER_TRANSITIONS, decideTransition, type OrderTrigger } from './order-state-machine.js';

const ALL_STATES = Object.values(OrderState);
const ALL_TRIGGERS = Object.keys(ORDER_TRANSITIONS) as OrderTrigger[];

describe('order state machine', () => {
  it.each([
    [OrderState.CREATED, 'INVENTORY_RESERVED', OrderState.RESERVED],
    [OrderState.CREATED, 'INVENTORY_REJECTED', OrderState.REJECTED],
    [OrderState.RESERVED, 'PAYMENT_INITIATED', OrderState.PAYMENT_PENDING],
    [OrderState.RESERVED, 'CANCEL', OrderState.CANCELLING],
    [OrderState.PAYMENT_PENDING, 'PAYMENT_SUCCEEDED', OrderState.PAID],
    [OrderState.PAYMENT_PENDING, 'PAYMENT_FAILED', OrderState.FAILED],
    [OrderState.PAID, 'SHIPMENT_PREPARED', OrderState.SHIPMENT_PREPARED],
    [OrderState.SHIPMENT_PREPARED, 'SHIPMENT_DISPATCHED', OrderState.SHIPPED],
    [OrderState.CREATED, 'CANCEL', OrderState.CANCELLING],
    [OrderState.PAYMENT_PENDING, 'CANCEL', OrderState.CANCELLING],
    [OrderState.PAID, 'CANCEL', OrderState.CANCELLING],
    [OrderState.SHIPMENT_PREPARED, 'CANCEL', OrderState.CANCELLING],
    [OrderState.CANCELLING, 'PAYMENT_REFUNDED', OrderState.CANCELLED],
    [OrderState.CANCELLING, 'PAYMENT_VOIDED', OrderState.CANCELLED],
    [OrderState.CANCELLING, 'SHIPMENT_DISPATCHED', OrderState.SHIPPED],
  ] as const)('%s --%s--> %s', (from, trigger, to) => {
    expect(decideTransition(from, trigger)).toEqual({ kind: 'apply', from, to });
  });

  it('treats an event that overtook its predecessor as early, to be retried', () => {
    expect(decideTransition(OrderState.CREATED, 'PAYMENT_SUCCEEDED').kind).toBe('early');
    expect(decideTransition(OrderState.CREATED, 'PAYMENT_INITIATED').kind).toBe('early');
    expect(decideTransition(OrderState.PAYMENT_PENDING, 'SHIPMENT_PREPARED').kind).toBe('early');
    expect(decideTransition(OrderState.PAID, 'SHIPMENT_DISPATCHED').kind).toBe('early');
    expect(decideTransition(OrderState.CREATED, 'SHIPMENT_DISPATCHED').kind).toBe('early');
  });

  it('rejects every transition out of a terminal state', () => {
    for (const state of [OrderState.SHIPPED, OrderState.FAILED, OrderState.CANCELLED, OrderState.REJECTED]) {
      for (const trigger of ALL_TRIGGERS) {
        expect(decideTransition(state, trigger).kind).toBe('illegal');
      }
    }
  });

  it('rejects events for states the order has already passed', () => {
    expect(decideTransition(OrderState.PAID, 'PAYMENT_INITIATED').kind).toBe('illegal');
    expect(decideTransition(OrderState.SHIPPED, 'PAYMENT_SUCCEEDED').kind).toBe('illegal');
  });

  it('never lets a shipped order be cancelled, nor a cancelling one twice', () => {
    expect(decideTransition(OrderState.SHIPPED, 'CANCEL')).toMatchObject({ kind: 'illegal', from: OrderState.SHIPPED });
    expect(decideTransition(OrderState.CANCELLING, 'CANCEL')).toMatchObject({ kind: 'illegal' });
  });

  it('ignores, never parks, happy-path news that a cancellation overtook', () => {
    for (const trigger of ['INVENTORY_RESERVED', 'INVENTORY_REJECTED', 'PAYMENT_INITIATED', 'PAYMENT_SUCCEEDED', 'PAYMENT_FAILED', 'SHIPMENT_PREPARED'] as const) {
      expect(decideTransition(OrderState.CANCELLING, trigger).kind).toBe('illegal');
    }
  });

  it('never parks a refund or void: outside CANCELLING it is illegal, not early', () => {
    for (const state of [OrderState.CREATED, OrderState.RESERVED, OrderState.PAYMENT_PENDING, OrderState.PAID, OrderState.SHIPMENT_PREPARED]) {
      expect(decideTransition(state, 'PAYMENT_REFUNDED').kind).toBe('illegal');
      expect(decideTransition(state, 'PAYMENT_VOIDED').kind).toBe('illegal');
    }
  });

  it('applies exactly the listed transitions and nothing else', () => {
    for (const state of ALL_STATES) {
      for (const trigger of ALL_TRIGGERS) {
        const decision = decideTransition(state, trigger);
        expect(decision.kind === 'apply').toBe(ORDER_TRANSITIONS[trigger].from.includes(state));
      }
    }
  });
});
