import {
  applyDecorators,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { API_KEY_HEADER, ApiKeyRegistry, type ApiClient } from './api-keys.js';
import { ErrorResponseDto } from './error-response.dto.js';
import type { Scope } from './scopes.js';

/** The OpenAPI security scheme's name (DocumentBuilder.addApiKey). */
export const API_KEY_SECURITY = 'api-key';

const REQUIRED_SCOPES = 'api:required-scopes';

/** Where the guard leaves the authenticated client for later guards (rate limits) and handlers. */
export interface AuthenticatedRequest extends Request {
  apiClient?: ApiClient;
}

/**
 * The scopes a route (or every route of a controller) needs, enforced by
 * ApiKeyGuard and documented in OpenAPI by the same decorator.
 */
export function RequireScopes(...scopes: [Scope, ...Scope[]]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiSecurity(API_KEY_SECURITY),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: `No ${API_KEY_HEADER} header, or a key that is not valid` }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `The key lacks a scope this needs: ${scopes.join(', ')}` }),
  );
}

/**
 * Authenticates every HTTP request by its API key and checks the scopes its
 * route requires. Closed by default: a route that names no scopes is refused
 * (403) unless its path is one of the public ones (health, metrics), so a new
 * controller cannot end up open by forgetting a decorator.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
    private readonly publicPaths: ReadonlySet<string>,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.publicPaths.has(request.path)) return true;
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    const client = this.authenticate(request);
    if (!required) throw new ForbiddenException('This route grants no scope; nobody may call it.');
    const missing = required.filter((scope) => !client.scopes.has(scope));
    if (missing.length > 0) throw new ForbiddenException(`The API key "${client.name}" lacks the scope ${missing.join(', ')}.`);
    return true;
  }

  private authenticate(request: AuthenticatedRequest): ApiClient {
    const presented = request.headers[API_KEY_HEADER.toLowerCase()];
    if (presented === undefined) throw new UnauthorizedException(`An API key is required: send it in the ${API_KEY_HEADER} header.`);
    const client = typeof presented === 'string' ? this.keys.identify(presented) : undefined;
    if (!client) throw new UnauthorizedException('The API key is not valid.');
    request.apiClient = client;
    return client;
  }
}
