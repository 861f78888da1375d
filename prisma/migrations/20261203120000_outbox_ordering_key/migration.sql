-- Each outbox row's ordering key (the order, or the SKU), written with the row from the event's
-- definition, so the relay publishes the stored envelope as it is instead of parsing it to find the
-- key. Nullable: rows already waiting when this runs have none, and the relay parses those.

-- AlterTable
ALTER TABLE "orders"."outbox_events" ADD COLUMN "ordering_key" TEXT;

-- AlterTable
ALTER TABLE "payments"."outbox_events" ADD COLUMN "ordering_key" TEXT;

-- AlterTable
ALTER TABLE "shipments"."outbox_events" ADD COLUMN "ordering_key" TEXT;

-- AlterTable
ALTER TABLE "analytics"."outbox_events" ADD COLUMN "ordering_key" TEXT;

-- AlterTable
ALTER TABLE "inventory"."outbox_events" ADD COLUMN "ordering_key" TEXT;
