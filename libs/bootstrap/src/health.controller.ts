import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, PrismaHealthIndicator } from '@nestjs/terminus';
import { PrismaService } from '#database';
import { MessagingHealthIndicator } from './messaging-health.indicator.js';
import { NatsHealthIndicator } from './nats-health.indicator.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: PrismaHealthIndicator,
    private readonly prisma: PrismaService,
    private readonly nats: NatsHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
  ) {}

  /** The path Kubernetes' readiness probe uses (helm/); /health/ready is the same check under its usual name. */
  @Get(['', 'ready'])
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness (503 otherwise): PostgreSQL and NATS are reachable, the service’s streams and durable consumers exist, ' +
      'and the outbox backlog is at most OUTBOX_BACKLOG_READY_MAX',
  })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', this.prisma, { timeout: 2_000 }),
      () => this.nats.isConnected(),
      () => this.messaging.consumersExist(),
      () => this.messaging.outboxKeepingUp(),
    ]);
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers (no dependency checks, no I/O)' })
  live() {
    return this.health.check([]);
  }
}
