import { natsInboxPrefix, streamsUsedBy, type ServiceName } from '#contracts';
import type { CommonEnv } from '#config';
import type { JetStreamModuleOptions } from '#jetstream';

/** The service's NATS connection and stream provisioning, shared by its publishing side and its consumers. */
export const SERVICE_NATS_OPTIONS = Symbol('SERVICE_NATS_OPTIONS');

export type ServiceNatsOptions = Required<Pick<JetStreamModuleOptions, 'servers' | 'name' | 'inboxPrefix' | 'streams'>> &
  Pick<JetStreamModuleOptions, 'user' | 'pass' | 'streamMaxAgeMs'>;

/**
 * How a service connects: NATS_URL's servers, its own user (NATS_USER,
 * NATS_PASSWORD) when the server has authentication, replies below its own
 * inbox prefix (the only one its user may subscribe to), and only the streams
 * its user may manage. Throws on a setting that would connect as someone
 * else than intended; the message never shows a password.
 */
export function serviceNatsOptions(
  service: ServiceName,
  env: Pick<CommonEnv, 'NATS_URL' | 'NATS_USER' | 'NATS_PASSWORD'> & Partial<Pick<CommonEnv, 'STREAM_MAX_AGE_MS'>>,
): ServiceNatsOptions {
  const servers = env.NATS_URL.split(',');
  if (servers.some(hasCredentials)) {
    // The client takes servers' host and port only; the server would then see no credentials at all.
    throw new Error('Invalid configuration:\n  NATS_URL: holds a user or password, which the NATS client does not use; set NATS_USER and NATS_PASSWORD instead');
  }
  if ((env.NATS_USER === undefined) !== (env.NATS_PASSWORD === undefined)) {
    throw new Error(
      `Invalid configuration:\n  ${env.NATS_USER === undefined ? 'NATS_USER' : 'NATS_PASSWORD'}: required with ` +
        `${env.NATS_USER === undefined ? 'NATS_PASSWORD' : 'NATS_USER'} (set both, or neither for a server without authentication)`,
    );
  }
  return {
    servers,
    name: service,
    ...(env.NATS_USER !== undefined && { user: env.NATS_USER, pass: env.NATS_PASSWORD }),
    inboxPrefix: natsInboxPrefix(service),
    streams: streamsUsedBy(service),
    ...(env.STREAM_MAX_AGE_MS !== undefined && { streamMaxAgeMs: env.STREAM_MAX_AGE_MS }),
  };
}

function hasCredentials(server: string): boolean {
  try {
    const url = new URL(server.includes('://') ? server.trim() : `nats://${server.trim()}`);
    return url.username !== '' || url.password !== '';
  } catch {
    return server.includes('@');
  }
}
