import { Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DeadLetterService, type DeadLetterFilter } from '#dead-letters';
import type { z } from 'zod';
import {
  ErrorResponseDto,
  RateLimitedWrite,
  RequireScopes,
  Scope,
  ValidBody,
  ValidParam,
  ValidQuery,
  ValidationErrorResponseDto,
} from '#http-api';
import { DeadLetterErrorsFilter } from './dead-letter-errors.filter.js';
import {
  deadLetterId,
  discardDeadLetterBody,
  listDeadLettersQuery,
  replayDeadLettersBody,
  type ListDeadLettersQuery,
  type ReplayDeadLettersRequest,
} from './http/dead-letter-requests.js';
import { DeadLetterDetailDto, DeadLetterPageDto } from './http/dead-letter-view.dto.js';
import { ReplayDeadLettersResultDto } from './http/replay-dead-letters.dto.js';

/** The HTTP adapter of the dead-letter office: inspect, replay and discard what consumers gave up on. Operators only. */
@ApiTags('dead-letters')
@RequireScopes(Scope.OPERATOR)
@Controller('dead-letters')
@UseFilters(DeadLetterErrorsFilter)
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({ summary: 'List dead letters, newest first, filtered by consumer, subject, reason, status and time' })
  @ApiOkResponse({ type: DeadLetterPageDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  list(@ValidQuery(listDeadLettersQuery) query: ListDeadLettersQuery): Promise<DeadLetterPageDto> {
    return this.deadLetters.list({ ...toFilter(query), limit: query.limit ?? 20, cursor: query.cursor });
  }

  @Post('replay')
  @HttpCode(200)
  @RateLimitedWrite()
  @ApiOperation({
    summary: 'Replay the dead letters a filter matches, oldest first',
    description: 'Only PENDING ones unless the body names a status; DISCARDED and RESOLVED ones are skipped. At most `limit` (default 100) per call.',
  })
  @ApiOkResponse({ type: ReplayDeadLettersResultDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  replayMany(@ValidBody(replayDeadLettersBody) body: ReplayDeadLettersRequest): Promise<ReplayDeadLettersResultDto> {
    return this.deadLetters.replayMany(toFilter(body), body.limit ?? 100);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One dead letter with its message (decoded payload, body, headers) and its replays' })
  @ApiOkResponse({ type: DeadLetterDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto, description: 'The id is not a UUID' })
  get(@ValidParam('id', deadLetterId) id: string): Promise<DeadLetterDetailDto> {
    return this.deadLetters.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @RateLimitedWrite()
  @ApiOperation({
    summary: 'Publish the message to its original subject again',
    description:
      'Same body and headers, a fresh Nats-Msg-Id (`replay:<id>:<n>`). The event keeps its id, so a consumer that ' +
      'had applied it already skips it. The dead letter becomes REPLAYED; each replay is listed in `replays`.',
  })
  @ApiOkResponse({ type: DeadLetterDetailDto, description: 'The dead letter, now REPLAYED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Discarded, or recorded without its message' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  replay(@ValidParam('id', deadLetterId) id: string): Promise<DeadLetterDetailDto> {
    return this.deadLetters.replay(id);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @RateLimitedWrite()
  @ApiOperation({ summary: 'Mark a dead letter as not to be replayed, with the reason' })
  @ApiOkResponse({ type: DeadLetterDetailDto, description: 'The dead letter, now DISCARDED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already discarded' })
  @ApiBadRequestResponse({ type: ValidationErrorResponseDto })
  discard(@ValidParam('id', deadLetterId) id: string, @ValidBody(discardDeadLetterBody) body: z.output<typeof discardDeadLetterBody>): Promise<DeadLetterDetailDto> {
    return this.deadLetters.discard(id, body.reason);
  }
}

function toFilter(dto: ListDeadLettersQuery | ReplayDeadLettersRequest): DeadLetterFilter {
  return {
    consumer: dto.consumer,
    subject: dto.subject,
    reason: dto.reason,
    status: dto.status,
    from: dto.from ? new Date(dto.from) : undefined,
    to: dto.to ? new Date(dto.to) : undefined,
  };
}
