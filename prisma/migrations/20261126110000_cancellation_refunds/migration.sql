-- Cancelling after payment: the order waits in CANCELLING while shipments
-- stops the parcel and payments refunds (or voids) the payment.

-- AlterEnum
ALTER TYPE "orders"."OrderState" ADD VALUE 'CANCELLING' BEFORE 'FAILED';

-- AlterEnum
ALTER TYPE "payments"."PaymentStatus" ADD VALUE 'REFUNDED';
ALTER TYPE "payments"."PaymentStatus" ADD VALUE 'CANCELLED';

-- AlterEnum
ALTER TYPE "shipments"."ShipmentStatus" ADD VALUE 'CANCELLED';

-- AlterTable
ALTER TABLE "payments"."payments" ADD COLUMN "cancel_requested_at" TIMESTAMPTZ(3),
ADD COLUMN "refund_reference" TEXT;

-- AlterTable
ALTER TABLE "shipments"."shipments" ALTER COLUMN "payment_id" DROP NOT NULL;
