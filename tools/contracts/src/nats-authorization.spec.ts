import { describe, it, expect } from '@jest/globals';
import { natsPermissionsOf, natsServices } from '#contracts';
import { NATS_ADMIN_USER, natsPasswordVariable, natsUserNames, natsUsers, renderNatsAuthorization } from './nats-authorization.js';

const passwords = { 'orders-api': 'orders-pw-1', payments: 'payments-pw-2', shipments: 'shipments-pw-3', analytics: 'analytics-pw-5', inventory: 'inventory-pw-6', admin: 'admin-pw-4' };

describe('the NATS authorization block', () => {
  it('has a user per service, with the permissions of the contracts, and the admin with every right', () => {
    expect(natsUserNames()).toEqual([...natsServices(), NATS_ADMIN_USER]);
    expect(natsServices()).toEqual(expect.arrayContaining(['orders-api', 'payments', 'shipments']));
    const users = natsUsers(passwords);
    expect(users.find((u) => u.user === 'payments')).toEqual({ user: 'payments', password: 'payments-pw-2', permissions: natsPermissionsOf('payments') });
    expect(users.find((u) => u.user === NATS_ADMIN_USER)).toEqual({ user: 'admin', password: 'admin-pw-4' });
  });

  it('renders every subject quoted, so the server reads $JS... and $KV... as they are', () => {
    const text = renderNatsAuthorization(passwords);
    expect(text).toMatch(/^authorization \{\n {2}users: \[\n/m);
    expect(text).toContain('      user: "payments"\n      password: "payments-pw-2"\n');
    for (const subject of natsPermissionsOf('payments').publish.allow) expect(text).toContain(`            "${subject}"\n`);
    expect(text).toContain('            "_INBOX.payments.>"\n');
    // The admin: every subject both ways.
    const admin = text.slice(text.indexOf('user: "admin"'));
    expect(admin.match(/"(>)"/g)).toHaveLength(2);
    // Balanced, so the server can parse it as one block.
    expect(text.split('{').length).toBe(text.split('}').length);
    expect(text.split('[').length).toBe(text.split(']').length);
  });

  it('refuses a missing or unquotable password, naming the user and never a password', () => {
    const render = (changed: Record<string, string | undefined>) => () => renderNatsAuthorization({ ...passwords, ...changed });
    expect(render({ payments: undefined })).toThrow(/payments: no password/);
    expect(render({ shipments: 'has "quote' })).toThrow(/shipments: a password may hold only/);
    expect(render({ admin: 'has space' })).toThrow(/admin: a password/);
    const message = (() => {
      try {
        render({ payments: '', shipments: 'bad "one' })();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/payments: no password[\s\S]*shipments: a password/);
    for (const password of [...Object.values(passwords), 'bad "one']) expect(message).not.toContain(password);
  });

  it('accepts a bcrypt hash as a password', () => {
    const hash = '$2a$11$V1qrpBt8/SLfEBr4NJq4T.2mg8chx8.MTblUiTBOLV3MKDeAZ.W.';
    expect(renderNatsAuthorization({ ...passwords, payments: hash })).toContain(`password: "${hash}"`);
  });

  it('reads each password from a variable named after the user', () => {
    expect(['orders-api', 'payments', 'shipments', NATS_ADMIN_USER].map(natsPasswordVariable)).toEqual([
      'NATS_PASSWORD_ORDERS_API',
      'NATS_PASSWORD_PAYMENTS',
      'NATS_PASSWORD_SHIPMENTS',
      'NATS_PASSWORD_ADMIN',
    ]);
    expect(natsPasswordVariable('loyalty-points')).toBe('NATS_PASSWORD_LOYALTY_POINTS');
  });
});
