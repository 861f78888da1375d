import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsConnectionOptions {
  /** One URL or several, e.g. `nats://127.0.0.1:4222`. */
  servers: string | string[];
  /** Shown in the server's connection list (`/connz`): the service's name. */
  name: string;
  /** User and password on a server with authentication; both or neither. */
  user?: string;
  pass?: string;
  /**
   * Prefix of the connection's reply subjects (default `_INBOX`). A user
   * allowed to subscribe only below its own prefix (libs/contracts
   * natsInboxPrefix) needs it set, or no reply would reach it.
   */
  inboxPrefix?: string;
}

/**
 * Connects for the life of the process: reconnects forever, because a service
 * that gives up on its broker only turns a NATS restart into an outage.
 */
export function connectToNats(options: NatsConnectionOptions): Promise<NatsConnection> {
  return connect({
    servers: options.servers,
    name: options.name,
    ...(options.user !== undefined && { user: options.user, pass: options.pass }),
    ...(options.inboxPrefix !== undefined && { inboxPrefix: options.inboxPrefix }),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    // Otherwise every request (each publish awaits its PubAck as one) builds
    // two Error objects up front for their stack traces, used only if it
    // fails: a third of the publisher's CPU in profiles. A failed publish
    // still says what failed; its stack ends in the client.
    noAsyncTraces: true,
  });
}
