-- A dead letter whose event its consumer applied all the same (another delivery
-- of the same event, or the delivery's own last attempt recording a failure) is
-- kept for the record as RESOLVED, with the reason, and is not open work.
ALTER TYPE "dead_letters"."DeadLetterStatus" ADD VALUE 'RESOLVED';

ALTER TABLE "dead_letters"."dead_letter_events" ADD COLUMN "resolution" TEXT,
ADD COLUMN "resolved_at" TIMESTAMPTZ(3);
