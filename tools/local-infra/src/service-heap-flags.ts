/**
 * V8 heap limits every service runs with: here (demo, bench, end-to-end
 * tests, through pipeline.ts) and in the image (deploy/docker/entrypoint.sh,
 * kept equal by test/deploy), so what the bench measures is what runs.
 *
 * Why: a service holds about 50 MB of live heap, but with V8's defaults its
 * resident set reached 210-340 MB under load (target: under 200 MB):
 * - the young generation grows to two 16 MB semi-spaces, all of it resident;
 * - the old generation is collected only once it has grown by a factor that
 *   V8 scales with the heap limit, which it derives from the machine's
 *   memory: up to 4x on a host with a 2 GB+ limit (4 GB on the 24 GB bench
 *   machine), at most 1.3x with a limit of 256 MB. So garbage piled up to
 *   well over 100 MB before a full collection freed it.
 * Measured back to back (`npm run bench`, 2 cores; README, Performance): peak
 * RSS 346 -> 183 MB (orders-api), 238 -> 167 (payments), 211 -> 164
 * (shipments); about 30 MB less right after start-up.
 *
 * The old-space limit leaves five times the live heap as headroom, and stays
 * well inside the containers' 512Mi memory limit (helm values), so the
 * process fails with a heap-out-of-memory message before the kernel's OOM
 * killer would end it without one.
 */
export const SERVICE_HEAP_FLAGS: readonly string[] = [
  // 4 MB semi-spaces (young generation 8 MB instead of 32 MB): more frequent,
  // but no slower, scavenges; a request's garbage still dies young.
  '--max-semi-space-size=4',
  // MB; the default is derived from the machine's (or cgroup's) memory.
  '--max-old-space-size=256',
];
