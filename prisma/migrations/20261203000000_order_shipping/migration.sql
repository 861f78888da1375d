-- Who receives the parcel and where, as the customer gave it when placing
-- the order. One jsonb value rather than a column per field: it is written
-- once with the order, never updated, always read whole (the order's view,
-- orders.created), never filtered or joined on; orders-api's request schema
-- and the orders.created contract give its shape. One value also keeps the
-- order insert at one more array parameter. Nullable: older orders and
-- orders placed without it have none.
ALTER TABLE "orders"."orders" ADD COLUMN "shipping" JSONB;
