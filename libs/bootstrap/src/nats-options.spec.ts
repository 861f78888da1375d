import { describe, it, expect } from '@jest/globals';
import { serviceNatsOptions } from './nats-options.js';

describe('a service’s NATS connection options', () => {
  it('connect as its own user, with replies below its own inbox prefix, provisioning only the streams it uses', () => {
    const options = serviceNatsOptions('shipments', {
      NATS_URL: 'nats://a:4222,nats://b:4222',
      NATS_USER: 'shipments',
      NATS_PASSWORD: 's3cret',
    });
    expect(options).toMatchObject({
      servers: ['nats://a:4222', 'nats://b:4222'],
      name: 'shipments',
      user: 'shipments',
      pass: 's3cret',
      inboxPrefix: '_INBOX.shipments',
    });
    expect(options.streams.map((s) => s.name)).toEqual(['ORDERS', 'PAYMENTS', 'SHIPMENTS']);
  });

  it('connect without credentials to a server without authentication', () => {
    const options = serviceNatsOptions('payments', { NATS_URL: 'nats://127.0.0.1:4222' });
    expect(options).not.toHaveProperty('user');
    expect(options).not.toHaveProperty('pass');
  });

  it('refuse a user without a password and the other way round', () => {
    expect(() => serviceNatsOptions('payments', { NATS_URL: 'nats://n:4222', NATS_USER: 'payments' })).toThrow(/NATS_PASSWORD: required with NATS_USER/);
    expect(() => serviceNatsOptions('payments', { NATS_URL: 'nats://n:4222', NATS_PASSWORD: 'x' })).toThrow(/NATS_USER: required with NATS_PASSWORD/);
  });

  it('refuse credentials in NATS_URL, which the client would silently drop, without repeating them', () => {
    for (const url of ['nats://payments:s3cret@n:4222', 'nats://a:4222,payments:s3cret@b:4222', 'tls://token@n:4222']) {
      expect(() => serviceNatsOptions('payments', { NATS_URL: url })).toThrow(/NATS_URL: holds a user or password/);
      expect(() => serviceNatsOptions('payments', { NATS_URL: url })).not.toThrow(/s3cret/);
    }
  });
});
