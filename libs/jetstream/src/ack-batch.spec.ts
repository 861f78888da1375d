import { describe, it, expect } from '@jest/globals';
import { AckBatch } from './ack-batch.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('AckBatch', () => {
  it('sends the acks of one event-loop turn together in the next, in order', async () => {
    const sent: number[] = [];
    const batch = new AckBatch(() => undefined);
    for (const id of [1, 2, 3]) batch.add({ ack: () => sent.push(id) });
    await Promise.resolve();
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent).toEqual([1, 2, 3]);
    expect(batch.size).toBe(0);
  });

  it('flush() sends pending acks at once and only once', async () => {
    const sent: number[] = [];
    const batch = new AckBatch(() => undefined);
    batch.add({ ack: () => sent.push(1) });
    batch.flush();
    expect(sent).toEqual([1]);
    await nextTurn();
    expect(sent).toEqual([1]);
  });

  it('reports an ack the client refused and still sends the others', () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const batch = new AckBatch((error) => errors.push(error));
    batch.add({
      ack: () => {
        throw new Error('closed');
      },
    });
    batch.add({ ack: () => sent.push(2) });
    batch.flush();
    expect(sent).toEqual([2]);
    expect(errors).toEqual([new Error('closed')]);
  });
});
