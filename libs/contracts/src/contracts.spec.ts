import { describe, it, expect } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { ALL_EVENTS, Consumers, OrderCreated, Streams, envelopeSchema, eventJsonSchemas, findEventDefinition, subjectMatches } from './index.js';

describe('contracts', () => {
  it('registers each event type and version once', () => {
    const keys = ALL_EVENTS.map((e) => `${e.type}@${e.schemaVersion}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const event of ALL_EVENTS) expect(findEventDefinition(event.type, event.schemaVersion)).toBe(event);
    expect(findEventDefinition('orders.created', 99)).toBeUndefined();
  });

  it('publishes every event on a subject its own stream captures', () => {
    for (const event of ALL_EVENTS) {
      expect(event.subject).toBe(event.type);
      expect(Streams[event.stream].subjects.some((s) => subjectMatches(s, event.subject))).toBe(true);
    }
  });

  it('gives every consumer a filter inside its stream that matches at least one event', () => {
    for (const consumer of Object.values(Consumers)) {
      expect(consumer.durable).toMatch(/^[A-Za-z0-9_-]+$/);
      const streamEvents = ALL_EVENTS.filter((e) => e.stream === consumer.stream);
      expect(streamEvents.some((e) => subjectMatches(consumer.filterSubject, e.subject))).toBe(true);
    }
    const durables = Object.values(Consumers).map((c) => c.durable);
    expect(new Set(durables).size).toBe(durables.length);
  });

  it('accepts a complete envelope and names what is wrong with a broken one', () => {
    const id = uuidv7();
    const valid = {
      id,
      type: OrderCreated.type,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      aggregateId: uuidv7(),
      correlationId: id,
      causationId: id,
      payload: {},
    };
    expect(envelopeSchema.safeParse(valid).success).toBe(true);
    const broken = envelopeSchema.safeParse({ ...valid, id: 'x', occurredAt: 'yesterday' });
    expect(broken.success).toBe(false);
    expect(broken.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['id', 'occurredAt']);
  });

  it('requires UUIDv7 event ids, so ids sort by creation time', () => {
    const id = uuidv7();
    const v4 = '3b241101-e2bb-4255-8caf-4136c566a962';
    const base = { type: 't', schemaVersion: 1, occurredAt: new Date().toISOString(), aggregateId: v4, correlationId: v4, causationId: v4, payload: null };
    expect(envelopeSchema.safeParse({ ...base, id }).success).toBe(true);
    expect(envelopeSchema.safeParse({ ...base, id: v4 }).success).toBe(false);
  });

  it('validates payloads: totals are non-negative integers, an order has lines', () => {
    const payload = { orderId: uuidv7(), customerId: 'c', currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPriceCents: 5 }], totalCents: 5 };
    expect(OrderCreated.payload.safeParse(payload).success).toBe(true);
    expect(OrderCreated.payload.safeParse({ ...payload, totalCents: 1.5 }).success).toBe(false);
    expect(OrderCreated.payload.safeParse({ ...payload, lines: [] }).success).toBe(false);
  });

  it('takes shipping on orders.created as an optional v1 field: without it as before, with it whole', () => {
    const payload = { orderId: uuidv7(), customerId: 'c', currency: 'EUR', lines: [{ sku: 'A', quantity: 1, unitPriceCents: 5 }], totalCents: 5 };
    const shipping = { name: 'Ann', address: { line1: '1 Harbour Road', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' } };
    expect(OrderCreated.payload.safeParse(payload).success).toBe(true);
    expect(OrderCreated.payload.parse({ ...payload, shipping: { ...shipping, email: 'ann@example.com' } }).shipping?.email).toBe('ann@example.com');
    const refused = OrderCreated.payload.safeParse({ ...payload, shipping: { ...shipping, name: '', address: { ...shipping.address, country: 'NLD' } } });
    expect(refused.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['shipping.address.country', 'shipping.name']);
  });

  it('exports a JSON Schema per event with the envelope and the payload', () => {
    const schemas = eventJsonSchemas() as Record<string, { properties: Record<string, { const?: unknown; required?: string[] }> }>;
    expect(Object.keys(schemas)).toHaveLength(ALL_EVENTS.length);
    const created = schemas['orders.created@v1'];
    expect(created.properties.type.const).toBe('orders.created');
    expect(created.properties.payload.required).toEqual(expect.arrayContaining(['orderId', 'lines', 'totalCents']));
    // Added within v1, so optional: a reader of the schema may not require it (VERSIONING.md rule 1).
    expect(created.properties.payload.required).not.toContain('shipping');
    // Open objects at every depth: a reader with this printout accepts events that gained optional fields since.
    expect(JSON.stringify(schemas)).not.toContain('additionalProperties');
  });
});
