import { Module } from '@nestjs/common';
import { ConsumerStates } from './consumer-states.js';
import { OperationsController } from './operations.controller.js';
import { OperationsSnapshots } from './operations-snapshot.js';
import { OutboxBacklogReader } from './outbox-backlog-reports.js';
import { StageRates } from './stage-rates.js';

/** GET /api/v1/operations: the pipeline's consumers, stage rates, outbox backlogs and open dead letters. */
@Module({
  controllers: [OperationsController],
  providers: [ConsumerStates, StageRates, OutboxBacklogReader, OperationsSnapshots],
})
export class OperationsModule {}
