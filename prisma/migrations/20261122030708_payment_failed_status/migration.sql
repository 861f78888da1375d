-- AlterEnum
ALTER TYPE "payments"."PaymentStatus" ADD VALUE 'FAILED';
