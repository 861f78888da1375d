import { describe, it, expect, jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Prisma } from '#database';
import { DATABASE_RETRY_AFTER_SECONDS, DatabaseUnavailableFilter } from './database-unavailable.filter.js';

function httpHost() {
  const response = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    status(code: number) { this.statusCode = code; return this; },
    setHeader(name: string, value: string) { this.headers[name] = value; return this; },
    json(body: unknown) { this.body = body; return this; },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response };
}

describe('DatabaseUnavailableFilter', () => {
  it('answers 503 with Retry-After and a JSON body when PostgreSQL cannot be reached', () => {
    const { host, response } = httpHost();
    const error = new Prisma.PrismaClientKnownRequestError("Can't reach database server", { code: 'P1001', clientVersion: '6.19.3' });
    new DatabaseUnavailableFilter().catch(error, host);
    expect(response.statusCode).toBe(503);
    expect(response.headers['Retry-After']).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
    expect(response.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
  });

  it('leaves every other error to the default handling', () => {
    const { host, response } = httpHost();
    const fallback = jest.spyOn(BaseExceptionFilter.prototype, 'catch').mockImplementation(() => undefined);
    const error = new Error('a bug');
    new DatabaseUnavailableFilter().catch(error, host);
    expect(fallback).toHaveBeenCalledWith(error, host);
    expect(response.statusCode).toBe(200);
    fallback.mockRestore();
  });
});
