import { describe, it, expect } from '@jest/globals';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { JetStreamPublisher, type OutgoingMessage } from './publisher.js';

/** A client whose publishes settle on a later turn; subjects starting with `fail` are refused. */
function fakeClient() {
  const state = { inFlight: 0, peak: 0, order: [] as string[] };
  const client = {
    publish: async (subject: string, _data: Uint8Array, options: { msgID: string }): Promise<PubAck> => {
      state.order.push(options.msgID);
      state.inFlight += 1;
      state.peak = Math.max(state.peak, state.inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      state.inFlight -= 1;
      if (subject.startsWith('fail')) throw new Error(`refused ${options.msgID}`);
      return { stream: 'S', seq: Number(options.msgID), duplicate: false, domain: '' } as PubAck;
    },
  };
  return { client: client as unknown as JetStreamClient, state };
}

const message = (id: number, subject = 'ok'): OutgoingMessage => ({ subject, msgId: String(id), data: new Uint8Array() });

describe('JetStreamPublisher.publishAll', () => {
  it('publishes in order, at most maxInFlight at once, and reports each outcome in place', async () => {
    const { client, state } = fakeClient();
    const messages = Array.from({ length: 20 }, (_, i) => message(i + 1, i === 4 ? 'fail' : 'ok'));
    const results = await new JetStreamPublisher(client, 3).publishAll(messages);
    expect(state.order).toEqual(messages.map((m) => m.msgId));
    expect(state.peak).toBe(3);
    expect(results.map((r) => r.msgId)).toEqual(messages.map((m) => m.msgId));
    expect(results[4]).toMatchObject({ status: 'failed', error: new Error('refused 5') });
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(19);
  });

  it('publishes one ordering key one message after another, and sends none of it after one failed', async () => {
    const { client, state } = fakeClient();
    const keyed = (id: number, key: string, subject = 'ok'): OutgoingMessage => ({ ...message(id, subject), orderingKey: key });
    const messages = [keyed(1, 'a'), keyed(2, 'b'), keyed(3, 'a', 'fail'), keyed(4, 'b'), keyed(5, 'a'), message(6)];
    const results = await new JetStreamPublisher(client, 8).publishAll(messages);
    // a: 1 then 3 (refused), 5 never sent; b: 2 then 4; 6 alone.
    expect(state.order).not.toContain('5');
    expect(state.order.indexOf('1')).toBeLessThan(state.order.indexOf('3'));
    expect(state.order.indexOf('2')).toBeLessThan(state.order.indexOf('4'));
    expect(state.peak).toBe(3); // one publish per key at a time, and the unkeyed one
    expect(results.map((r) => r.status)).toEqual(['stored', 'stored', 'failed', 'stored', 'failed', 'stored']);
    expect(results[4]).toMatchObject({ error: new Error('not sent: an earlier message of a failed (refused 3)') });
  });

  it('returns an empty list for an empty batch', async () => {
    const { client } = fakeClient();
    await expect(new JetStreamPublisher(client).publishAll([])).resolves.toEqual([]);
  });
});
