import { describe, it, expect } from '@jest/globals';
import { LiveSocket, type RawSocket } from './live-socket.js';

class FakeSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  closed: { code: number; reason: string } | undefined;
  pings = 0;
  terminated = false;
  send(data: string | Buffer) {
    this.sent.push(String(data));
    this.bufferedAmount += Buffer.byteLength(data);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
    this.readyState = 2;
  }
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
}

const live = (socket: FakeSocket, maxBufferedBytes = 100) => new LiveSocket(socket as unknown as RawSocket, maxBufferedBytes);

describe('LiveSocket', () => {
  it('sends while the unsent data stays under the limit', () => {
    const socket = new FakeSocket();
    const client = live(socket);
    client.send('x'.repeat(60));
    client.sendMessage({ type: 'pong', id: 'p' });
    expect(socket.sent).toEqual(['x'.repeat(60), '{"type":"pong","id":"p"}']);
    expect(socket.closed).toBeUndefined();
  });

  it('closes a slow reader with 4008 and the reason once its unsent data passes the limit, then sends it nothing more', () => {
    const socket = new FakeSocket();
    const client = live(socket);
    client.send('x'.repeat(80));
    client.send('x'.repeat(80));
    expect(socket.closed).toEqual({ code: 4008, reason: 'too slow: more than 100 bytes unsent' });
    client.send('more');
    expect(socket.sent).toHaveLength(2);
  });

  it('pings a live peer and terminates one that did not answer the last ping', () => {
    const socket = new FakeSocket();
    const client = live(socket);
    client.heartbeat();
    client.ponged();
    client.heartbeat();
    expect(socket.pings).toBe(2);
    expect(socket.terminated).toBe(false);
    client.heartbeat();
    expect(socket.terminated).toBe(true);
  });
});
