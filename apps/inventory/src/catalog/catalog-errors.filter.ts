import { ArgumentsHost, Catch, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { ProductNotFoundError, StaleProductVersionError } from './restock.service.js';

/** The catalog's errors as HTTP answers, so its services stay free of HTTP: an unknown SKU 404, a stale version 409. */
@Catch(ProductNotFoundError, StaleProductVersionError)
export class CatalogErrorsFilter extends BaseExceptionFilter {
  override catch(error: Error, host: ArgumentsHost): void {
    super.catch(toHttp(error), host);
  }
}

function toHttp(error: Error): HttpException {
  return error instanceof ProductNotFoundError ? new NotFoundException(error.message) : new ConflictException(error.message);
}
