-- CreateTable
CREATE TABLE "orders"."parked_events" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "reason" TEXT,
    "envelope" JSONB NOT NULL,
    "parked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "parked_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "parked_events_order_id_parked_at_idx" ON "orders"."parked_events"("order_id", "parked_at");
