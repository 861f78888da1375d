import type { ApiClient, ApiKeyRegistry } from '#http-api';
import { errorFrame } from './error-frames.js';
import type { LiveCommands } from './live-commands.js';
import type { LiveSocket } from './live-socket.js';
import { liveSocketsDropped } from './live-updates-metrics.js';
import { parseFrame } from './parse-frame.js';
import { CloseCode, type Command } from './protocol.js';

/**
 * One connection's conversation: authentication first, then commands and
 * pings. A browser cannot set headers on a WebSocket, so the key comes in
 * the first message (`auth`) within authTimeoutMs; a client that sent
 * X-API-Key on the upgrade request is authenticated from the start. Until
 * then only `auth` and `ping` are understood, and anything else, like a bad
 * key, is answered 401 and closed (4401). Once authenticated, a bad frame
 * or a failed command is answered and the connection stays open.
 */
export class LiveSession {
  private client: ApiClient | undefined;
  private authTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: LiveSocket,
    private readonly keys: ApiKeyRegistry,
    private readonly commands: LiveCommands,
    private readonly authTimeoutMs: number,
  ) {}

  /** `headerKey`: the X-API-Key header of the upgrade request, if any. */
  start(headerKey: string | string[] | undefined): void {
    if (headerKey !== undefined) {
      this.authenticate(typeof headerKey === 'string' ? headerKey : undefined);
      return;
    }
    this.authTimer = setTimeout(
      () => this.refuse(`No auth message within ${this.authTimeoutMs} ms: send {"type":"auth","apiKey":"..."} first.`),
      this.authTimeoutMs,
    );
  }

  receive(data: Buffer | string, isBinary: boolean): void {
    const parsed = parseFrame(data, isBinary);
    if (parsed.ok && parsed.message.type === 'ping') {
      this.socket.sendMessage({ type: 'pong', ...(parsed.message.id !== undefined ? { id: parsed.message.id } : {}) });
      return;
    }
    if (parsed.ok && parsed.message.type === 'auth') {
      this.authenticate(parsed.message.apiKey);
      return;
    }
    if (!this.client) {
      this.refuse('Authenticate first: the first message must be {"type":"auth","apiKey":"..."}.');
      return;
    }
    if (!parsed.ok) {
      this.socket.sendMessage(parsed.error);
      return;
    }
    void this.run(this.client, parsed.message as Command);
  }

  /** The socket closed: nothing more is sent to it, and its subscriptions go. */
  end(): void {
    clearTimeout(this.authTimer);
  }

  private async run(client: ApiClient, command: Command): Promise<void> {
    try {
      const outcome = await this.commands.run(this.socket, client, command);
      this.socket.sendMessage(outcome.reply);
      if (outcome.then) this.socket.send(outcome.then);
    } catch (error) {
      this.socket.sendMessage(errorFrame(command.id, command.action, error));
    }
  }

  private authenticate(presented: string | undefined): void {
    const client = presented === undefined ? undefined : this.keys.identify(presented);
    if (!client) {
      this.refuse('The API key is not valid.');
      return;
    }
    clearTimeout(this.authTimer);
    this.client = client;
    this.socket.sendMessage({ type: 'auth', ok: true, client: client.name, scopes: [...client.scopes] });
  }

  private refuse(message: string): void {
    clearTimeout(this.authTimer);
    this.client = undefined;
    this.socket.sendMessage({ type: 'error', status: 401, error: 'Unauthorized', message });
    this.socket.close(CloseCode.UNAUTHORIZED, 'unauthorized');
    liveSocketsDropped.inc({ reason: 'unauthorized' });
  }
}
