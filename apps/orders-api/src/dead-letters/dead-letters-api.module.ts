import { Module } from '@nestjs/common';
import { DeadLettersModule } from '#dead-letters';
import { DeadLettersController } from './dead-letters.controller.js';

/** The dead-letter office (advisory consumer and service) with its REST API under /dead-letters. */
@Module({
  imports: [DeadLettersModule],
  controllers: [DeadLettersController],
})
export class DeadLettersApiModule {}
