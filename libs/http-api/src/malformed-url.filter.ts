import { BadRequestException, Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { validationFailure } from './field-error.js';

/**
 * A path whose percent-escapes are not UTF-8 (`/orders/%ED%A0%80`) fails in
 * Express's router before any parameter pipe sees it, and Nest answers with
 * the raw value in the message. This answers it like every other bad input:
 * a 400 naming the path and the rule, without echoing it.
 */
@Catch(BadRequestException)
export class MalformedUrlFilter extends BaseExceptionFilter {
  override catch(error: BadRequestException, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || !(error.cause instanceof URIError)) {
      super.catch(error, host);
      return;
    }
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(400)
      .json(validationFailure([{ field: 'path', rule: 'text', reason: 'path must be valid UTF-8 once its percent-escapes are decoded' }]));
  }
}
