-- Orders inventory rejected for want of stock (inventory.rejected), for the analytics figures.
-- AlterTable
ALTER TABLE "analytics"."order_facts" ADD COLUMN     "rejected_at" TIMESTAMPTZ(3);
