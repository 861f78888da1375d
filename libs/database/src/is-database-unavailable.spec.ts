import { describe, it, expect } from '@jest/globals';
import pg from 'pg';
import { Prisma } from './generated/prisma/client.js';
import { isDatabaseUnavailable, isUniqueViolation } from './is-database-unavailable.js';

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: '6.19.3', meta });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect', errno: -111 });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('isDatabaseUnavailable', () => {
  it.each(['P1001', 'P1002', 'P1008', 'P1017'])('is true for Prisma connection error %s', (code) => {
    expect(isDatabaseUnavailable(known(code))).toBe(true);
  });

  it('is true when the client could not initialise', () => {
    expect(isDatabaseUnavailable(new Prisma.PrismaClientInitializationError("Can't reach database server", '6.19.3'))).toBe(true);
  });

  it.each(['57P01', '57P02', '57P03', '08006', '08001', '53300'])(
    'is true for SQLSTATE %s, carried in the driver adapter error (P2010)',
    (sqlstate) => {
      const error = known('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode: sqlstate } } });
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(isDatabaseUnavailable(pgError(sqlstate, 'terminating connection due to administrator command'))).toBe(true);
    },
  );

  it.each(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout'])('is true for the adapter kind %s', (kind) => {
    expect(isDatabaseUnavailable({ name: 'DriverAdapterError', cause: { kind } })).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET'])('is true for the socket error %s, also wrapped', (code) => {
    expect(isDatabaseUnavailable(socketError(code))).toBe(true);
    const unknown = new Prisma.PrismaClientUnknownRequestError('query failed', { clientVersion: '6.19.3' });
    expect(isDatabaseUnavailable(Object.assign(unknown, { cause: socketError(code) }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([socketError(code), socketError(code)]))).toBe(true);
  });

  it('is true for pg\'s uncoded "Connection terminated" errors', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Prisma.PrismaClientUnknownRequestError('Connection terminated', { clientVersion: '6.19.3' }))).toBe(true);
  });

  it('is true when no pooled connection came free in time to start a transaction', () => {
    const error = new Prisma.PrismaClientKnownRequestError('Transaction API error: Unable to start a transaction in the given time.', {
      code: 'P2028',
      clientVersion: '6.19.3',
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(known('P2028'), { message: 'Transaction already closed: timeout' }))).toBe(false);
  });

  it('is false for errors of the query itself and for anything else', () => {
    expect(isDatabaseUnavailable(known('P2002'))).toBe(false);
    expect(isDatabaseUnavailable(known('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode: '23505' } } }))).toBe(false);
    expect(isDatabaseUnavailable(pgError('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('order not found'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe('isUniqueViolation', () => {
  it("is true for Prisma's P2002 and for a raw statement's P2010 classified as a unique violation", () => {
    expect(isUniqueViolation(known('P2002'))).toBe(true);
    expect(isUniqueViolation(known('P2010', { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation' } } }))).toBe(true);
  });

  it("is true for pg's own error with SQLSTATE 23505 (SqlDatabase)", () => {
    const error = new pg.DatabaseError('duplicate key value violates unique constraint "orders_idempotency_key_key"', 0, 'error');
    error.code = '23505';
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('is false for other errors, raw or not', () => {
    expect(isUniqueViolation(known('P2010', { driverAdapterError: { cause: { kind: 'postgres', originalCode: '42P01' } } }))).toBe(false);
    expect(isUniqueViolation(known('P2025'))).toBe(false);
    expect(isUniqueViolation(new Error('duplicate'))).toBe(false);
  });
});
