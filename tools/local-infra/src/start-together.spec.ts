import { describe, it, expect } from '@jest/globals';
import { startTogether } from './start-together.js';

function server(name: string, stopped: string[]) {
  return { name, stop: async () => void stopped.push(name) };
}

describe('startTogether', () => {
  it('answers every server, in order, when all start', async () => {
    const stopped: string[] = [];
    const [nats, db] = await startTogether(Promise.resolve(server('nats', stopped)), Promise.resolve(server('db', stopped)));
    expect([nats.name, db.name]).toEqual(['nats', 'db']);
    expect(stopped).toEqual([]);
  });

  it('stops the servers that started when another fails, then throws its error', async () => {
    const stopped: string[] = [];
    const failure = new Error('migrations did not apply');
    await expect(startTogether(Promise.resolve(server('nats', stopped)), Promise.reject(failure))).rejects.toBe(failure);
    expect(stopped).toEqual(['nats']);
  });

  it('throws the start error even when a stop fails too', async () => {
    const failure = new Error('port taken');
    const unstoppable = { stop: () => Promise.reject(new Error('already gone')) };
    await expect(startTogether(Promise.resolve(unstoppable), Promise.reject(failure))).rejects.toBe(failure);
  });
});
