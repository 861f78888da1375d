import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto, RequireScopes, Scope } from '#http-api';
import { OperationsSnapshots } from './operations-snapshot.js';
import { OperationsViewDto } from './operations-view.dto.js';

/** The data behind the console's Operations page. Operators only. */
@ApiTags('operations')
@RequireScopes(Scope.OPERATOR)
@Controller('operations')
export class OperationsController {
  constructor(private readonly snapshots: OperationsSnapshots) {}

  @Get()
  @ApiOperation({
    summary: 'How the pipeline is doing: consumers, stage rates, outbox backlogs, open dead letters',
    description:
      'Every durable consumer’s pending, ack-pending and redelivered counts as the NATS server has them; the rate of each saga ' +
      'step’s event over a sliding window sampled by orders-api; each service’s outbox backlog as its instances report it; the ' +
      'number of dead letters left to handle. Gathered at most about once a second however many clients poll: poll every 2 s or more.',
  })
  @ApiOkResponse({ type: OperationsViewDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'NATS (or PostgreSQL) did not answer in time; retry shortly' })
  async get(): Promise<OperationsViewDto> {
    try {
      return await this.snapshots.current();
    } catch (error) {
      // PostgreSQL being down is answered 503 by the app's filter; NATS not answering is said here.
      if ((error as Error).message.startsWith('NATS')) throw new ServiceUnavailableException((error as Error).message);
      throw error;
    }
  }
}
