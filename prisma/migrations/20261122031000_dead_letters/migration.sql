-- Dead letters (DESIGN invariant 5): messages a consumer gave up on, recorded
-- from the server's MAX_DELIVERIES and MSG_TERMINATED advisories, with each replay.
-- Written by `prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma --script`.

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "dead_letters";

-- CreateEnum
CREATE TYPE "dead_letters"."DeadLetterReason" AS ENUM ('max_deliveries', 'invalid', 'terminated');

-- CreateEnum
CREATE TYPE "dead_letters"."DeadLetterStatus" AS ENUM ('PENDING', 'REPLAYED', 'DISCARDED');

-- CreateTable
CREATE TABLE "dead_letters"."dead_letter_events" (
    "id" UUID NOT NULL,
    "source_stream" TEXT NOT NULL,
    "stream_seq" BIGINT NOT NULL,
    "consumer" TEXT NOT NULL,
    "original_subject" TEXT,
    "reason" "dead_letters"."DeadLetterReason" NOT NULL,
    "detail" TEXT,
    "deliveries" INTEGER NOT NULL,
    "event_id" UUID,
    "event_type" TEXT,
    "data" TEXT,
    "data_encoding" TEXT NOT NULL DEFAULT 'utf8',
    "data_json" JSONB,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "original_time" TIMESTAMPTZ(3),
    "status" "dead_letters"."DeadLetterStatus" NOT NULL DEFAULT 'PENDING',
    "discard_reason" TEXT,
    "replay_count" INTEGER NOT NULL DEFAULT 0,
    "last_replayed_at" TIMESTAMPTZ(3),
    "dead_letter_seq" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "dead_letter_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dead_letters"."dead_letter_replays" (
    "id" UUID NOT NULL,
    "dead_letter_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_msg_id" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "published_seq" BIGINT,

    CONSTRAINT "dead_letter_replays_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dead_letter_events_status_id_idx" ON "dead_letters"."dead_letter_events"("status", "id");

-- CreateIndex
CREATE INDEX "dead_letter_events_consumer_id_idx" ON "dead_letters"."dead_letter_events"("consumer", "id");

-- CreateIndex
CREATE INDEX "dead_letter_events_created_at_idx" ON "dead_letters"."dead_letter_events"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letter_events_source_stream_stream_seq_consumer_key" ON "dead_letters"."dead_letter_events"("source_stream", "stream_seq", "consumer");

-- CreateIndex
CREATE UNIQUE INDEX "dead_letter_replays_published_msg_id_key" ON "dead_letters"."dead_letter_replays"("published_msg_id");

-- CreateIndex
CREATE INDEX "dead_letter_replays_dead_letter_id_idx" ON "dead_letters"."dead_letter_replays"("dead_letter_id");

-- AddForeignKey
ALTER TABLE "dead_letters"."dead_letter_replays" ADD CONSTRAINT "dead_letter_replays_dead_letter_id_fkey" FOREIGN KEY ("dead_letter_id") REFERENCES "dead_letters"."dead_letter_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

