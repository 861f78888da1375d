-- The order's event timeline (GET /api/v1/orders/{id}/events): one row per
-- event about an order, as orders-api emitted or applied it. No foreign key:
-- a row is written in the transaction that handles its event, which an
-- event about an unknown order rolls back.
CREATE TABLE "orders"."order_timeline" (
    "event_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "correlation_id" UUID,
    "causation_id" UUID,
    "trace_id" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_timeline_pkey" PRIMARY KEY ("event_id")
);

CREATE INDEX "order_timeline_order_id_occurred_at_idx" ON "orders"."order_timeline"("order_id", "occurred_at");
