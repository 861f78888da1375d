#!/bin/sh
# Entry point of the order-pipeline image: the first argument says what this
# container is. One image serves all three services and the migration job.
#
#   orders-api | payments | shipments   run that service (default: orders-api)
#   migrate                             apply pending migrations (prisma migrate deploy), then exit
#   nats-config [--out FILE]            print the NATS server's users (one per service, from the
#                                       contracts), passwords from NATS_PASSWORD_<USER>, then exit
#   anything else                       run it as a command (node -e ..., sh, ...)
#
# `exec` replaces this shell, so node is PID 1 and receives SIGTERM itself:
# the services drain on SIGTERM (up to about 20 s) before they exit.
set -eu

# The image's WORKDIR; APP_HOME only moves it for the tests of this script.
cd "${APP_HOME:-/app}"
if [ "$#" -eq 0 ]; then
  set -- orders-api
fi

case "$1" in
  orders-api | payments | shipments | analytics | inventory)
    service="$1"
    shift
    # Memory settings: why, and what they save, in tools/local-infra/src/
    # service-memory.ts (the same the bench measures; test/deploy keeps the
    # two equal). The heap flags go first in NODE_OPTIONS, so that a
    # deployment's own NODE_OPTIONS (e.g. a larger --max-old-space-size)
    # overrides them; a MALLOC_ARENA_MAX it sets is kept.
    export NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=256${NODE_OPTIONS:+ $NODE_OPTIONS}"
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    exec node "dist/apps/$service/src/main.js" "$@"
    ;;
  migrate)
    shift
    # The CLI's own bin, not npx: no npm at run time, no network look-ups.
    # prisma.config.ts (next to package.json) selects the offline-capable
    # WebAssembly engine and reads DATABASE_URL.
    exec node node_modules/prisma/build/index.js migrate deploy "$@"
    ;;
  nats-config)
    shift
    exec node dist/tools/contracts/src/print-nats-config.js "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
