import type { IncomingMessage } from 'node:http';
import type { OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { API_KEY_HEADER, ApiKeyRegistry, DEFAULT_MAX_BODY_BYTES } from '#http-api';
import { LiveCommands } from './live-commands.js';
import { LiveSession } from './live-session.js';
import { LiveSocket } from './live-socket.js';
import { LiveSubscriptions } from './live-subscriptions.js';
import { LiveUpdatesSettings } from './live-updates-settings.js';
import { liveSockets } from './live-updates-metrics.js';
import { CloseCode, LIVE_UPDATES_PATH } from './protocol.js';

/**
 * The live-updates API at /ws (docs/websocket.md), on the plain `ws`
 * adapter (configure-http.ts). The protocol's frames have no `event` field,
 * so there are no @SubscribeMessage handlers: each connection's frames go to
 * its LiveSession. A frame may be as large as an HTTP body.
 */
@WebSocketGateway({ path: LIVE_UPDATES_PATH, maxPayload: DEFAULT_MAX_BODY_BYTES })
export class LiveUpdatesGateway implements OnGatewayInit, OnGatewayConnection<WebSocket>, OnGatewayDisconnect<WebSocket>, OnModuleDestroy {
  private readonly sessions = new Map<WebSocket, LiveSession>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly keys: ApiKeyRegistry,
    private readonly commands: LiveCommands,
    private readonly subscriptions: LiveSubscriptions,
    private readonly settings: LiveUpdatesSettings,
  ) {}

  afterInit(): void {
    // One timer for every socket: each round pings them all and drops those that never answered the last ping.
    this.heartbeat = setInterval(() => {
      for (const session of this.sessions.values()) session.socket.heartbeat();
    }, this.settings.pingIntervalMs);
    this.heartbeat.unref();
  }

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const live = new LiveSocket(socket, this.settings.maxBufferedBytes);
    const session = new LiveSession(live, this.keys, this.commands, this.settings.authTimeoutMs);
    this.sessions.set(socket, session);
    liveSockets.inc();
    socket.on('pong', () => live.ponged());
    socket.on('message', (data: Buffer, isBinary: boolean) => session.receive(data, isBinary));
    session.start(request.headers[API_KEY_HEADER.toLowerCase()]);
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.sessions.get(socket);
    if (!session) return;
    session.end();
    this.subscriptions.remove(session.socket);
    this.sessions.delete(socket);
    liveSockets.dec();
  }

  /** Before the server closes the sockets: tell clients to come back (to another replica, resuming with sinceVersion). */
  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    for (const session of this.sessions.values()) session.socket.close(CloseCode.GOING_AWAY, 'server shutting down');
  }
}
