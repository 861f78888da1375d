import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MessagingHealthIndicator } from './messaging-health.indicator.js';
import { NatsHealthIndicator } from './nats-health.indicator.js';

/**
 * `GET /health` (readiness, also at /health/ready) and `GET /health/live`
 * (liveness) for every service. Needs ServiceProbes (ServiceCoreModule).
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [NatsHealthIndicator, MessagingHealthIndicator],
})
export class HealthModule {}
