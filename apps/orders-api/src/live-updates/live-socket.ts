import { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { liveSocketsDropped } from './live-updates-metrics.js';
import { CloseCode, type ServerMessage } from './protocol.js';

/** What a LiveSocket needs of a `ws` socket (a fake one in unit tests). */
export type RawSocket = Pick<WebSocket, 'readyState' | 'bufferedAmount' | 'send' | 'close' | 'ping' | 'terminate'>;

/** WebSocket.OPEN: only an open socket is sent to. */
const OPEN = 1;

/**
 * One client's socket as the server writes to it, with the two policies
 * that keep a bad peer from costing the server:
 *
 * - a slow reader: whatever it has not read waits in this process
 *   (`bufferedAmount`, past the kernel's buffers). Once that passes
 *   maxBufferedBytes the socket is closed (4008, with the reason), and
 *   nothing more is queued for it: its memory is bounded by the limit plus
 *   one frame. It learns why when it reads on, and can resume with sinceVersion.
 * - a dead peer: pinged every WS_PING_INTERVAL_MS (heartbeat), and
 *   terminated if it has not answered the previous ping.
 */
export class LiveSocket {
  private static readonly logger = new Logger('LiveUpdates');
  private answeredPing = true;

  constructor(
    private readonly socket: RawSocket,
    private readonly maxBufferedBytes: number,
  ) {}

  /** Sends a text frame already encoded (an event is encoded once for all its subscribers). */
  send(frame: Buffer | string): void {
    if (this.socket.readyState !== OPEN) return;
    this.socket.send(frame, { binary: false });
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      LiveSocket.logger.warn(`closing a live-updates socket that reads too slowly: ${this.socket.bufferedAmount} bytes unsent`);
      liveSocketsDropped.inc({ reason: 'slow' });
      this.close(CloseCode.TOO_SLOW, `too slow: more than ${this.maxBufferedBytes} bytes unsent`);
    }
  }

  sendMessage(message: ServerMessage): void {
    this.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === OPEN) this.socket.close(code, reason);
  }

  /** The peer answered a ping (the socket's 'pong' event). */
  ponged(): void {
    this.answeredPing = true;
  }

  /** One round of the keep-alive: a peer that let the last ping go unanswered is gone. */
  heartbeat(): void {
    if (!this.answeredPing) {
      liveSocketsDropped.inc({ reason: 'unresponsive' });
      this.socket.terminate();
      return;
    }
    this.answeredPing = false;
    if (this.socket.readyState === OPEN) this.socket.ping();
  }
}
