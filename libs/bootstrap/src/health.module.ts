import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { NatsHealthIndicator } from './nats-health.indicator.js';

/** `GET /health` (readiness) and `GET /health/live` (liveness) for every service. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [NatsHealthIndicator],
})
export class HealthModule {}
