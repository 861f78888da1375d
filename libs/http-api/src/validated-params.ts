import { Body, Param, Query, createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiParam, ApiPayloadTooLargeResponse, ApiQuery, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';
import { z } from 'zod';
import { validationFailed } from './field-error.js';
import type { InputLocation } from './input-location.js';
import { openApiSchema } from './open-api-schema.js';
import { validateInput } from './validate-input.js';

/**
 * Parameter decorators that validate an input with a zod schema and document
 * it in OpenAPI from that same schema: one declaration, so the server and the
 * document cannot disagree. They replace Nest's class-validator pipe, which
 * reports range errors for wrong types and recurses without a depth bound.
 * (nestjs-zod does the same job but does not support Nest 12 yet.)
 */

class SchemaPipe implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    private readonly location: InputLocation,
    private readonly root: string,
  ) {}

  transform(value: unknown): unknown {
    const result = validateInput(this.schema, value, this.location, this.root);
    if (!result.ok) throw validationFailed(result.errors);
    return result.value;
  }
}

type ParamDecorator = (target: object, key: string | symbol | undefined, index: number) => void;

/** Applies a method decorator from inside a parameter decorator (the method exists by then). */
function documentMethod(decorator: MethodDecorator, target: object, key: string | symbol | undefined): void {
  if (key === undefined) throw new Error('validated parameters are for controller methods');
  decorator(target, key, Object.getOwnPropertyDescriptor(target, key)!);
}

function isOptional(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** The JSON body, validated and documented. */
export function ValidBody(schema: z.ZodType, options: { description?: string } = {}): ParamDecorator {
  return (target, key, index) => {
    Body(new SchemaPipe(schema, 'body', 'body'))(target, key, index);
    documentMethod(ApiBody({ schema: openApiSchema(schema, 'input'), required: !isOptional(schema), ...options }), target, key);
    // The refusals of the body parser (json-body.ts), before validation.
    documentMethod(ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'The body is larger than MAX_BODY_BYTES' }), target, key);
    documentMethod(ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'The body is not application/json' }), target, key);
  };
}

/** The whole query string as one strict object: unknown and repeated parameters are refused. */
export function ValidQuery(schema: z.ZodObject): ParamDecorator {
  return (target, key, index) => {
    Query(new SchemaPipe(schema, 'query', 'query'))(target, key, index);
    for (const [name, field] of Object.entries(schema.shape)) {
      const { description, ...fieldSchema } = openApiSchema(field, 'output');
      documentMethod(ApiQuery({ name, required: !isOptional(field), description, schema: fieldSchema }), target, key);
    }
  };
}

/** One path parameter. */
export function ValidParam(name: string, schema: z.ZodType): ParamDecorator {
  return (target, key, index) => {
    Param(name, new SchemaPipe(schema, 'path', name))(target, key, index);
    const { description, ...fieldSchema } = openApiSchema(schema, 'output');
    documentMethod(ApiParam({ name, required: true, description, schema: fieldSchema }), target, key);
  };
}

/** Nest's @Headers() takes no pipes; this one does. */
const RequestHeader = createParamDecorator((name: string, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[name];
});

/** One request header (Node joins a repeated header with ", ", which the schema then sees). */
export function ValidHeader(name: string, schema: z.ZodType): ParamDecorator {
  return (target, key, index) => {
    RequestHeader(name.toLowerCase(), new SchemaPipe(schema, 'header', name))(target, key, index);
    const { description, ...fieldSchema } = openApiSchema(schema, 'output');
    documentMethod(ApiHeader({ name, required: !isOptional(schema), description, schema: fieldSchema }), target, key);
  };
}
