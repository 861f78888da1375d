-- The order's stock states: RESERVED (inventory holds every line) and REJECTED (some line was short).
-- AlterEnum
ALTER TYPE "orders"."OrderState" ADD VALUE 'RESERVED' AFTER 'CREATED';
ALTER TYPE "orders"."OrderState" ADD VALUE 'REJECTED';
