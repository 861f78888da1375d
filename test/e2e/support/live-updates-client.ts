import { WebSocket, type ClientOptions } from 'ws';

/** A frame the server sent, as JSON. */
export type LiveFrame = Record<string, any> & { type: string };

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A plain `ws` client of orders-api's /ws for the tests: it keeps every
 * frame it was sent, in order, so a test can wait for one (`next`) or look
 * at what came (`frames`), and sends commands with ids of its own.
 */
export class LiveUpdatesClient {
  readonly frames: LiveFrame[] = [];
  /** Protocol-level pings the server sent. */
  pings = 0;
  readonly closed: Promise<Closed>;
  private readonly waiters = new Set<() => void>();
  private commands = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as LiveFrame);
      for (const wake of this.waiters) wake();
    });
    socket.on('ping', () => (this.pings += 1));
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    this.closed.then(() => {
      for (const wake of this.waiters) wake();
    });
  }

  /** Connects to `apiUrl`'s /ws; `apiKey` goes in the X-API-Key header of the upgrade request. */
  static async connect(apiUrl: string, { apiKey, ...options }: ClientOptions & { apiKey?: string } = {}): Promise<LiveUpdatesClient> {
    const socket = new WebSocket(`${apiUrl.replace(/^http/, 'ws')}/ws`, { ...options, headers: apiKey ? { 'x-api-key': apiKey } : {} });
    const client = new LiveUpdatesClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Connects and authenticates with the first message, as a browser does. */
  static async authenticated(apiUrl: string, apiKey: string, options: ClientOptions = {}): Promise<LiveUpdatesClient> {
    const client = await LiveUpdatesClient.connect(apiUrl, options);
    client.send({ type: 'auth', apiKey });
    const answer = await client.next((f) => f.type === 'auth' || f.type === 'error', 'the answer to auth');
    if (answer.type !== 'auth') throw new Error(`auth refused: ${JSON.stringify(answer)}`);
    return client;
  }

  /** How the socket closed, or 'still open' after timeoutMs. */
  async closedWithin(timeoutMs: number): Promise<Closed | 'still open'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), timeoutMs)));
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a command and resolves with its reply or error. */
  async command(action: string, fields: Record<string, unknown> = {}): Promise<LiveFrame> {
    const id = `c${++this.commands}`;
    const from = this.frames.length;
    this.send({ type: 'command', id, action, ...fields });
    return this.next((f) => (f.type === 'reply' || f.type === 'error') && f['id'] === id, `the answer to ${action} ${id}`, { from });
  }

  /** The first frame from index `from` on (default: any received) that matches, waiting up to timeoutMs for it. */
  async next(matches: (frame: LiveFrame) => boolean, what: string, { from = 0, timeoutMs = 15_000 } = {}): Promise<LiveFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(matches);
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`the socket closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The order-updated events of one order received so far. */
  eventsOf(orderId: string): LiveFrame[] {
    return this.frames.filter((f) => f.type === 'event' && f['order']?.id === orderId);
  }

  close(): void {
    this.socket.terminate();
  }
}
