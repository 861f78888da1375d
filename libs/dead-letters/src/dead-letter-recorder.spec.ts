import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, PubAck } from '@nats-io/jetstream';
import { InvalidArgumentError, type MsgHdrs } from '@nats-io/transport-node';
import { DeadLetterHeaders, OrderCreated } from '#contracts';
import type { PrismaService } from '#database';
import type { ConsumerAdvisory } from './advisory.js';
import type { AppliedEvents } from './applied-events.js';
import { DeadLetterRecorder } from './dead-letter-recorder.js';

/** A server whose max_payload is `maxPayload`, as nats.js enforces it before sending. */
function fakeNats(maxPayload: number, original: Uint8Array) {
  const published: Array<{ subject: string; body: Uint8Array | undefined; headers: MsgHdrs }> = [];
  const js = {
    publish: async (subject: string, body: Uint8Array | undefined, options: { headers: MsgHdrs }) => {
      // What nats.js counts: the body and the encoded headers (MsgHdrsImpl.encode, not on the public type).
      const headerBytes = (options.headers as unknown as { encode(): Uint8Array }).encode().length;
      if ((body?.length ?? 0) + headerBytes > maxPayload) throw InvalidArgumentError.format('payload', 'max_payload size exceeded');
      published.push({ subject, body, headers: options.headers });
      return { stream: 'DEAD_LETTERS', seq: published.length, duplicate: false } as PubAck;
    },
  } as unknown as JetStreamClient;
  const jsm = {
    streams: { getMessage: async () => ({ subject: OrderCreated.subject, data: original, header: undefined, time: new Date() }) },
  } as unknown as JetStreamManager;
  return { js, jsm, published };
}

function fakePrisma() {
  const rows: Array<Record<string, unknown>> = [];
  const prisma = {
    deadLetterEvent: {
      findUnique: async () => null,
      createMany: async ({ data }: { data: Array<Record<string, unknown>> }) => {
        rows.push(...data);
        return { count: data.length };
      },
    },
  } as unknown as PrismaService;
  return { prisma, rows };
}

const advisory: ConsumerAdvisory = { kind: 'terminated', stream: 'ORDERS', consumer: 'payments--orders-created', streamSeq: 7, deliveries: 1 };
const noneApplied = { of: async () => [] } as unknown as AppliedEvents;

describe('DeadLetterRecorder', () => {
  // Each recorded dead letter is an operator event on the log; not here.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('records a body that fills the server’s max_payload: the copy goes without it, saying so, and the row keeps it', async () => {
    const body = new TextEncoder().encode('x'.repeat(1_000));
    const { js, jsm, published } = fakeNats(1_100, body);
    const { prisma, rows } = fakePrisma();
    await expect(new DeadLetterRecorder(prisma, jsm, js, noneApplied).record(advisory)).resolves.toBe('recorded');
    expect(published).toHaveLength(1);
    expect(published[0]!.body).toBeUndefined();
    expect(published[0]!.headers.get(DeadLetterHeaders.DETAIL)).toMatch(/^body is not JSON \[the body \(1000 bytes\) is not in this copy/);
    expect(rows).toMatchObject([{ reason: 'invalid', detail: 'body is not JSON', data: 'x'.repeat(1_000), deadLetterSeq: 1 }]);
  });

  it('copies the body when it fits', async () => {
    const body = new TextEncoder().encode('not json');
    const { js, jsm, published } = fakeNats(1_100, body);
    await new DeadLetterRecorder(fakePrisma().prisma, jsm, js, noneApplied).record(advisory);
    expect(published.map((copy) => copy.body)).toEqual([body]);
  });
});
