export { DatabaseModule } from './database.module.js';
export { DATABASE_OPTIONS, DEFAULT_POOL_SIZE, type DatabaseOptions } from './database.options.js';
export { PrismaService } from './prisma.service.js';
export { SqlDatabase, TransactionRolledBackError } from './sql-database.js';
export { countQueries } from './count-queries.js';
export type { SqlClient, TransactionalSqlClient } from './sql-client.js';
export { VersionConflictError } from './version-conflict.error.js';
export { assertOneRowUpdated } from './assert-one-row-updated.js';
export { isDatabaseUnavailable, isUniqueViolation } from './is-database-unavailable.js';
export {
  DEFAULT_VERSION_RETRY_ATTEMPTS,
  DEFAULT_VERSION_RETRY_BASE_DELAY_MS,
  withVersionRetry,
  type VersionRetryOptions,
} from './with-version-retry.js';

// The generated client (prisma/schema.prisma -> generated/prisma, made by
// `prisma generate`); apps import it from here, never from the generated folder.
export { OrderState, PaymentStatus, ShipmentStatus, Prisma, PrismaClient } from './generated/prisma/client.js';
export type {
  Order,
  OrderLine,
  OrderStateChange,
  OrdersInboxEvent,
  OrdersOutboxEvent,
  Payment,
  PaymentsInboxEvent,
  PaymentsOutboxEvent,
  Shipment,
  ShipmentsInboxEvent,
  ShipmentsOutboxEvent,
} from './generated/prisma/client.js';
export type { TransactionClient } from './transaction-client.js';
