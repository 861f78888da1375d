import { describe, it, expect } from '@jest/globals';
import { validateInput } from '#http-api';
import { createOrderBody } from './order-requests.js';

const order = { customerId: 'ann@example.com', currency: 'EUR', lines: [{ sku: 'AEROPRESS', quantity: 1, unitPriceCents: 3990 }] };
const shipping = {
  name: 'Ann Example',
  email: 'ann@example.com',
  address: { line1: '1 Harbour Road', line2: 'Unit 4', city: 'Rotterdam', postalCode: '3011 AB', country: 'NL' },
};

/** The body with shipping, some of its fields (or its address's) replaced, or removed when undefined. */
function withShipping(patch: { top?: Record<string, unknown>; address?: Record<string, unknown> }): Record<string, unknown> {
  const defined = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
  const address = defined({ ...shipping.address, ...patch.address });
  return { ...order, shipping: defined({ ...shipping, address, ...patch.top }) };
}

const errorsOf = (body: unknown) => {
  const result = validateInput(createOrderBody, body, 'body', 'body');
  return result.ok ? [] : result.errors;
};

describe('createOrderBody: shipping', () => {
  it('is optional: an order without it is valid as before', () => {
    expect(validateInput(createOrderBody, order, 'body', 'body')).toEqual({ ok: true, value: order });
  });

  it('takes a name, an e-mail and a full address, and leaves e-mail and line2 optional', () => {
    expect(validateInput(createOrderBody, { ...order, shipping }, 'body', 'body')).toEqual({ ok: true, value: { ...order, shipping } });
    const minimal = withShipping({ top: { email: undefined }, address: { line2: undefined } });
    expect(validateInput(createOrderBody, minimal, 'body', 'body')).toEqual({ ok: true, value: minimal });
    for (const postalCode of ['3011AB', 'SW1A 1AA', '10115', '00-950', 'D02 X285']) {
      expect({ postalCode, errors: errorsOf(withShipping({ address: { postalCode } })) }).toEqual({ postalCode, errors: [] });
    }
  });

  it.each([
    ['a missing name', { top: { name: undefined } }, 'shipping.name', 'required', 'shipping.name is required'],
    ['an empty name', { top: { name: '' } }, 'shipping.name', 'min', 'shipping.name must be at least 1 characters long'],
    ['a name too long', { top: { name: 'n'.repeat(101) } }, 'shipping.name', 'max', 'shipping.name must be at most 100 characters long'],
    ['a name that is not text', { top: { name: 42 } }, 'shipping.name', 'type', 'shipping.name must be a string'],
    ['an e-mail without @', { top: { email: 'ann.example.com' } }, 'shipping.email', 'format', 'shipping.email must be an e-mail address (name@example.com)'],
    ['an e-mail with a space', { top: { email: 'ann @example.com' } }, 'shipping.email', 'format', 'shipping.email must be an e-mail address (name@example.com)'],
    ['an e-mail too long', { top: { email: `${'a'.repeat(64)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.nl` } }, 'shipping.email', 'max', 'shipping.email must be at most 254 characters long'],
    ['a missing address', { top: { address: undefined } }, 'shipping.address', 'required', 'shipping.address is required'],
    ['a missing line1', { address: { line1: undefined } }, 'shipping.address.line1', 'required', 'shipping.address.line1 is required'],
    ['a line1 too long', { address: { line1: 'x'.repeat(101) } }, 'shipping.address.line1', 'max', 'shipping.address.line1 must be at most 100 characters long'],
    ['an empty line2', { address: { line2: '' } }, 'shipping.address.line2', 'min', 'shipping.address.line2 must be at least 1 characters long'],
    ['a missing city', { address: { city: undefined } }, 'shipping.address.city', 'required', 'shipping.address.city is required'],
    ['a city too long', { address: { city: 'c'.repeat(101) } }, 'shipping.address.city', 'max', 'shipping.address.city must be at most 100 characters long'],
    ['a missing postal code', { address: { postalCode: undefined } }, 'shipping.address.postalCode', 'required', 'shipping.address.postalCode is required'],
    [
      'a postal code with other characters',
      { address: { postalCode: '3011/AB' } },
      'shipping.address.postalCode',
      'format',
      'shipping.address.postalCode may contain only letters, digits, spaces and -, and must start and end with a letter or digit',
    ],
    [
      'a postal code ending in a space',
      { address: { postalCode: '3011 ' } },
      'shipping.address.postalCode',
      'format',
      'shipping.address.postalCode may contain only letters, digits, spaces and -, and must start and end with a letter or digit',
    ],
    ['a postal code too long', { address: { postalCode: '1'.repeat(17) } }, 'shipping.address.postalCode', 'max', 'shipping.address.postalCode must be at most 16 characters long'],
    ['a missing country', { address: { country: undefined } }, 'shipping.address.country', 'required', 'shipping.address.country is required'],
    ['a country in small letters', { address: { country: 'nl' } }, 'shipping.address.country', 'format', 'shipping.address.country must be an ISO 3166-1 alpha-2 code in capitals'],
    ['a country of one letter', { address: { country: 'N' } }, 'shipping.address.country', 'format', 'shipping.address.country must be an ISO 3166-1 alpha-2 code in capitals'],
    ['a three-letter country', { address: { country: 'NLD' } }, 'shipping.address.country', 'max', 'shipping.address.country must be at most 2 characters long'],
    ['an unknown field', { top: { phone: '+31 10 000 0000' } }, 'shipping.phone', 'unknown_field', 'shipping.phone is not a known field'],
    ['an unknown address field', { address: { state: 'ZH' } }, 'shipping.address.state', 'unknown_field', 'shipping.address.state is not a known field'],
  ])('refuses %s, naming the field and its rule', (_, patch, field, rule, reason) => {
    expect(errorsOf(withShipping(patch))).toEqual([{ field, rule, reason }]);
  });

  it('refuses shipping of the wrong kind, and an address of the wrong kind', () => {
    expect(errorsOf({ ...order, shipping: 'Harbour Road 1' })).toEqual([{ field: 'shipping', rule: 'type', reason: 'shipping must be an object' }]);
    expect(errorsOf({ ...order, shipping: null })).toEqual([{ field: 'shipping', rule: 'type', reason: 'shipping must be an object' }]);
    expect(errorsOf(withShipping({ top: { address: ['1 Harbour Road'] } }))).toEqual([
      { field: 'shipping.address', rule: 'type', reason: 'shipping.address must be an object' },
    ]);
  });

  it('refuses NUL and lone surrogates in any of its text, before the schema', () => {
    expect(errorsOf(withShipping({ top: { name: 'Ann\u0000' } }))).toEqual([expect.objectContaining({ field: 'shipping.name', rule: 'text' })]);
    expect(errorsOf(withShipping({ address: { city: 'Rotter\ud800dam' } }))).toEqual([expect.objectContaining({ field: 'shipping.address.city', rule: 'text' })]);
  });
});
