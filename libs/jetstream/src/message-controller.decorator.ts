import { Catch, Controller, UseFilters, applyDecorators, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a handler's error to the transport unchanged. Nest's default RPC filter
 * would replace it with a generic "Internal server error", and the transport
 * could no longer tell a permanent failure from a transient one.
 */
@Catch()
class PropagateHandlerErrors implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/** Marks a class whose `@EventPattern` methods handle JetStream events. */
export function MessageController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(new PropagateHandlerErrors()));
}
