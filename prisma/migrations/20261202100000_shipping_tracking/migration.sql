-- Shipping with a tracking number: the order shows who carries it, the
-- tracking number and when it shipped; a manual dispatch request is recorded
-- on the order until shipments applies it. Nullable: older rows have none.
ALTER TABLE "orders"."orders" ADD COLUMN "carrier" TEXT,
ADD COLUMN "tracking_number" TEXT,
ADD COLUMN "shipped_at" TIMESTAMPTZ(3),
ADD COLUMN "requested_tracking_number" TEXT;

ALTER TABLE "shipments"."shipments" ADD COLUMN "carrier" TEXT;
