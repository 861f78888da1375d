import { describe, it, expect } from '@jest/globals';
import {
  ALL_EVENTS,
  Consumers,
  DeadLetterConsumers,
  Streams,
  natsInboxPrefix,
  natsPermissionsOf,
  natsServices,
  outboxBacklogKey,
  streamsUsedBy,
  subjectMatches,
  type ServiceName,
} from './index.js';

const eventSubjects = [...new Set(ALL_EVENTS.map((e) => e.subject))];
const publishes = (service: ServiceName) => natsPermissionsOf(service).publish.allow;
/** May the service publish this literal subject? */
const mayPublish = (service: ServiceName, subject: string) => publishes(service).some((allow) => subjectMatches(allow, subject));
const eventsOf = (stream: keyof typeof Streams) => ALL_EVENTS.filter((e) => e.stream === stream).map((e) => e.subject);

describe('NATS permissions derived from the contracts', () => {
  it('has a user for every service the contracts name', () => {
    const named = [...Object.values(Streams).map((s) => s.service), ...Object.values(Consumers).map((c) => c.service)];
    expect([...natsServices()].sort()).toEqual([...new Set(named)].sort());
    expect(natsServices()).toEqual(expect.arrayContaining(['orders-api', 'payments', 'shipments']));
  });

  it('gives payments exactly its events, its consumers and its streams', () => {
    expect(publishes('payments')).toEqual([
      '$JS.API.INFO',
      ...['PAYMENTS', 'SHIPMENTS', 'INVENTORY', 'DLQ_ADVISORIES', 'KV_outbox_backlog'].flatMap((s) => [
        `$JS.API.STREAM.INFO.${s}`,
        `$JS.API.STREAM.CREATE.${s}`,
        `$JS.API.STREAM.UPDATE.${s}`,
      ]),
      'payments.initiated',
      'payments.succeeded',
      'payments.failed',
      'payments.refunded',
      'payments.voided',
      '$JS.API.CONSUMER.CREATE.INVENTORY.payments--inventory-reserved.inventory.reserved',
      '$JS.API.CONSUMER.INFO.INVENTORY.payments--inventory-reserved',
      '$JS.API.CONSUMER.MSG.NEXT.INVENTORY.payments--inventory-reserved',
      '$JS.ACK.INVENTORY.payments--inventory-reserved.>',
      '$JS.API.CONSUMER.CREATE.SHIPMENTS.payments--shipments-cancelled.shipments.cancelled',
      '$JS.API.CONSUMER.INFO.SHIPMENTS.payments--shipments-cancelled',
      '$JS.API.CONSUMER.MSG.NEXT.SHIPMENTS.payments--shipments-cancelled',
      '$JS.ACK.SHIPMENTS.payments--shipments-cancelled.>',
      '$KV.outbox_backlog.payments.*',
    ]);
    expect(natsPermissionsOf('payments').subscribe.allow).toEqual(['_INBOX.payments.>']);
  });

  it('lets a worker publish the events of its own stream and no other event', () => {
    for (const service of ['payments', 'shipments'] as const) {
      const own = Object.values(Streams).filter((s) => s.service === service).flatMap((s) => eventsOf(s.name as keyof typeof Streams));
      expect(own.length).toBeGreaterThan(0);
      expect(eventSubjects.filter((subject) => mayPublish(service, subject)).sort()).toEqual([...new Set(own)].sort());
    }
    expect(mayPublish('payments', 'orders.created')).toBe(false);
    expect(mayPublish('shipments', 'payments.succeeded')).toBe(false);
  });

  it('lets orders-api, the dead-letter office, publish every consumed subject (replays) and its dead-letter copies', () => {
    const consumed = eventSubjects.filter((subject) => Object.values(Consumers).some((c) => subjectMatches(c.filterSubject, subject)));
    for (const subject of [...eventsOf('ORDERS'), ...consumed]) expect(mayPublish('orders-api', subject)).toBe(true);
    expect(mayPublish('orders-api', 'deadletters.ORDERS.payments--orders-created')).toBe(true);
    expect(mayPublish('payments', 'deadletters.ORDERS.payments--orders-created')).toBe(false);
    // A replay is a publish of a consumed event; not of a subject no consumer reads, nor of a server advisory.
    expect(mayPublish('orders-api', 'payments.anything-else')).toBe(false);
    expect(mayPublish('orders-api', '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.x')).toBe(false);
  });

  it('subscribes each service to its own reply subjects only', () => {
    const prefixes = natsServices().map(natsInboxPrefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const service of natsServices()) {
      const allow = natsPermissionsOf(service).subscribe.allow;
      expect(allow).toEqual([`${natsInboxPrefix(service)}.>`]);
      for (const other of natsServices().filter((s) => s !== service)) {
        expect(allow.some((a) => subjectMatches(a, `${natsInboxPrefix(other)}.reply`))).toBe(false);
      }
      expect(allow.some((a) => subjectMatches(a, 'orders.created'))).toBe(false);
    }
  });

  it('lets only a consumer’s service create, pull from and acknowledge it, with the filter the contract names', () => {
    for (const consumer of [...Object.values(Consumers), ...Object.values(DeadLetterConsumers)]) {
      const { stream, durable, filterSubject } = consumer;
      for (const service of natsServices()) {
        const own = service === consumer.service;
        expect(mayPublish(service, `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`)).toBe(own);
        expect(mayPublish(service, `$JS.ACK.${stream}.${durable}.1.5.7.1700000000000000000.0`)).toBe(own);
        expect(mayPublish(service, `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filterSubject}`)).toBe(own);
      }
      // No consumer of that name reading anything else, nor one without a filter in its subject.
      expect(mayPublish(consumer.service, `$JS.API.CONSUMER.CREATE.${stream}.${durable}.other.subject`)).toBe(false);
      expect(mayPublish(consumer.service, `$JS.API.CONSUMER.CREATE.${stream}.${durable}`)).toBe(false);
      expect(mayPublish(consumer.service, `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`)).toBe(false);
      expect(mayPublish(consumer.service, `$JS.API.CONSUMER.CREATE.${stream}`)).toBe(false);
    }
  });

  it('lets a service manage only the streams it publishes to or reads, and the advisory capture', () => {
    for (const service of natsServices()) {
      const managed = Object.values(Streams)
        .map((s) => s.name)
        .filter((name) => mayPublish(service, `$JS.API.STREAM.UPDATE.${name}`));
      expect(managed).toEqual(streamsUsedBy(service).map((s) => s.name));
      expect(mayPublish(service, '$JS.API.STREAM.CREATE.DLQ_ADVISORIES')).toBe(true);
      expect(mayPublish(service, '$JS.API.STREAM.DELETE.ORDERS')).toBe(false);
      expect(mayPublish(service, '$JS.API.STREAM.PURGE.ORDERS')).toBe(false);
      expect(mayPublish(service, '$JS.API.CONSUMER.DELETE.ORDERS.payments--orders-created')).toBe(false);
    }
    expect(mayPublish('payments', '$JS.API.STREAM.CREATE.DEAD_LETTERS')).toBe(false);
    expect(mayPublish('orders-api', '$JS.API.STREAM.CREATE.DEAD_LETTERS')).toBe(true);
  });

  it('lets only orders-api write and read the order_state bucket', () => {
    expect(mayPublish('orders-api', '$KV.order_state.0190b1a4-0000-7000-8000-000000000000')).toBe(true);
    expect(mayPublish('orders-api', '$JS.API.DIRECT.GET.KV_order_state.$KV.order_state.some-order')).toBe(true);
    for (const service of ['payments', 'shipments'] as const) {
      expect(mayPublish(service, '$KV.order_state.some-order')).toBe(false);
      expect(mayPublish(service, '$JS.API.STREAM.CREATE.KV_order_state')).toBe(false);
    }
  });

  it('lets orders-api watch the order_state bucket (live updates), and no other service', () => {
    const watch = [
      '$JS.API.CONSUMER.CREATE.KV_order_state.oc_abc_1.$KV.order_state.>',
      '$JS.API.CONSUMER.INFO.KV_order_state.oc_abc_1',
      '$JS.API.CONSUMER.DELETE.KV_order_state.oc_abc_1',
      '$JS.FC.KV_order_state.oc_abc_1.1.2.3',
    ];
    for (const service of natsServices()) for (const subject of watch) expect(mayPublish(service, subject)).toBe(service === 'orders-api');
    // A watch of the bucket's keys only, never a consumer on another stream.
    expect(mayPublish('orders-api', '$JS.API.CONSUMER.CREATE.KV_order_state.oc_abc_1.orders.created')).toBe(false);
    expect(mayPublish('orders-api', '$JS.API.CONSUMER.CREATE.PAYMENTS.oc_abc_1.$KV.order_state.>')).toBe(false);
  });

  it('lets every service report its own outbox backlog only, and only orders-api read every report', () => {
    for (const service of natsServices()) {
      expect(mayPublish(service, '$JS.API.STREAM.CREATE.KV_outbox_backlog')).toBe(true);
      expect(mayPublish(service, `$KV.outbox_backlog.${outboxBacklogKey(service, 'host-1.example:42')}`)).toBe(true);
      for (const other of natsServices().filter((s) => s !== service)) {
        expect(mayPublish(service, `$KV.outbox_backlog.${outboxBacklogKey(other, 'host-1')}`)).toBe(false);
      }
      expect(mayPublish(service, '$JS.API.DIRECT.GET.KV_outbox_backlog.$KV.outbox_backlog.payments.host-1')).toBe(service === 'orders-api');
    }
  });

  it('grants no service a catch-all, and lets only orders-api read every consumer’s backlog', () => {
    const catchAlls = ['>', '$JS.>', '$JS.API.>', '$JS.API.STREAM.>', '$JS.API.CONSUMER.>', ...Object.values(Streams).flatMap((s) => s.subjects)];
    for (const service of natsServices()) {
      expect(publishes(service).filter((allow) => catchAlls.includes(allow))).toEqual([]);
      expect(mayPublish(service, 'anything.at.all')).toBe(false);
    }
    for (const consumer of Object.values(Consumers)) {
      expect(mayPublish('orders-api', `$JS.API.CONSUMER.INFO.${consumer.stream}.${consumer.durable}`)).toBe(true);
    }
    expect(mayPublish('shipments', '$JS.API.CONSUMER.INFO.ORDERS.payments--orders-created')).toBe(false);
  });
});
