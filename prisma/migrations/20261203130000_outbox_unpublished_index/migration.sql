-- The relay claims the oldest unpublished rows in id order, a bounded number of them: a partial
-- index holds exactly those, in that order (see OutboxRelay.publishBatch). schema.prisma cannot
-- describe a partial index, and prisma migrate diff leaves it be.

-- CreateIndex
CREATE INDEX "outbox_events_unpublished_idx" ON "orders"."outbox_events"("id") WHERE "published_at" IS NULL;

-- CreateIndex
CREATE INDEX "outbox_events_unpublished_idx" ON "payments"."outbox_events"("id") WHERE "published_at" IS NULL;

-- CreateIndex
CREATE INDEX "outbox_events_unpublished_idx" ON "shipments"."outbox_events"("id") WHERE "published_at" IS NULL;

-- CreateIndex
CREATE INDEX "outbox_events_unpublished_idx" ON "analytics"."outbox_events"("id") WHERE "published_at" IS NULL;

-- CreateIndex
CREATE INDEX "outbox_events_unpublished_idx" ON "inventory"."outbox_events"("id") WHERE "published_at" IS NULL;
