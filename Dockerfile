# syntax=docker/dockerfile:1.7
#
# The order-pipeline image: orders-api, payments, shipments and the migration
# job, chosen at run time by the first argument (deploy/docker/entrypoint.sh):
#
#   docker build -t order-pipeline:0.1.0 .
#   docker run ... order-pipeline:0.1.0 orders-api     # or payments, shipments
#   docker run ... order-pipeline:0.1.0 migrate        # prisma migrate deploy, then exit
#   docker run ... order-pipeline:0.1.0 nats-config    # the NATS server's users (see docs/operations.md)
#
# Why one image and not one per service: the three services are one TypeScript
# build with one lockfile; they share every library (contracts, transport,
# outbox, the generated Prisma client) and every npm dependency, so per-service
# images would be the same bytes three times, built, scanned and promoted three
# times. One image also guarantees that the migration job and the services it
# prepares come from the same commit, and that a rollout uses one tag for all.
# A service that one day needs its own dependencies gets its own image then.
#
# Base: Debian slim (glibc, matching where the build and tests run) with a
# pinned Node release. Node 22 LTS rather than 20: Node 20 has reached end of
# life, package.json allows >= 20.19, and several dependencies ask for >= 22.
# Pin the digest as well in your registry mirror (`NODE_IMAGE=node:22.20.0-
# bookworm-slim@sha256:...`) for byte-for-byte reproducible builds.
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
# CHECKPOINT_DISABLE: the Prisma CLI would otherwise call home to check for
# updates (and wait on it before exiting).
ENV CHECKPOINT_DISABLE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# ---------------------------------------------------------------------------
# build: every dependency, the Prisma client, then tsc.
FROM base AS build
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile is made on a registry mirror that
# has only Linux builds of platform-specific optional packages, so npm leaves
# the other platforms out of the lock and `npm ci` rejects it as out of sync.
# `npm install` with the lockfile installs the locked versions and works on
# that mirror and on the public registry alike (.ci/run does the same).
# --ignore-scripts: no dependency's install script is needed (npm 11, which
# the project uses, skips them by default; the image's npm 10 would run them,
# and @prisma/engines' would try to download native engines we do not use).
RUN --mount=type=cache,target=/root/.npm \
    npm install --ignore-scripts
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY libs ./libs
COPY apps ./apps
# The generator of the NATS users (`order-pipeline nats-config`): from the
# contracts of this very image, so the users match the services it runs.
COPY tools/contracts ./tools/contracts
# The generator of the public API's one OpenAPI document (served by orders-api at /docs, and the console's typed client).
COPY tools/openapi ./tools/openapi
# = prisma generate (WebAssembly engine, no download) && tsc -p tsconfig.build.json
#   && the public API's document && the console's bundle (Vite)
RUN npm run build

# ---------------------------------------------------------------------------
# prod-deps: production dependencies only. A stage of its own so that it is
# cached on package*.json alone and carries no dev dependency, not even pruned.
# `prisma`, `@prisma/adapter-pg` and `pg` are production dependencies: the
# migration job runs `prisma migrate deploy` from this image.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --ignore-scripts

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="order-pipeline" \
      org.opencontainers.image.description="Event-driven order pipeline: orders-api, payments, shipments and the migration job" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    CHECKPOINT_DISABLE=1 \
    HOST=0.0.0.0
WORKDIR /app
# Everything below is owned by root and read-only for the app user: the
# process cannot change its own code, and the root filesystem can be mounted
# read-only (Kubernetes: readOnlyRootFilesystem, with an emptyDir on /tmp).
COPY --from=prod-deps /app/node_modules ./node_modules
# package.json: "type": "module" and the `#imports` map into dist/libs.
COPY package.json prisma.config.ts ./
# Migrations and schema, for `migrate` (prisma migrate deploy).
COPY prisma ./prisma
COPY --from=build /app/dist/apps ./dist/apps
COPY --from=build /app/dist/libs ./dist/libs
COPY --from=build /app/dist/tools/contracts ./dist/tools/contracts
# Static files orders-api serves: the public API's OpenAPI document and the console.
COPY --from=build /app/dist/openapi ./dist/openapi
COPY --from=build /app/dist/console ./dist/console
COPY --chmod=0555 deploy/docker/entrypoint.sh /usr/local/bin/order-pipeline
# The base image's unprivileged `node` user, by number so that Kubernetes'
# runAsNonRoot can verify it without reading /etc/passwd.
USER 1000:1000
# orders-api: API on 3000; payments: health on 3001; shipments: health on 3002.
EXPOSE 3000 3001 3002 3003 3004
# No HEALTHCHECK here: the port depends on the service the container runs and
# the migration job has none; docker-compose.yml and the Helm chart define
# the checks (GET /health for readiness, GET /health/live for liveness).
ENTRYPOINT ["order-pipeline"]
CMD ["orders-api"]
