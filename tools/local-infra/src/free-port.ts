import { createServer, type Server } from 'node:net';

/**
 * Free TCP ports on a local interface, for servers that tests and the demo
 * start for themselves (two test files run at once, so fixed ports collide).
 *
 * The OS picks the port (bind to 0). There is a short window between closing
 * our listener and the real server binding it in which another process could
 * take it; callers that pick ports this way should retry on "address in use".
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await findFreePorts(1, host);
  return port!;
}

/**
 * Several distinct free ports. All listeners stay open until every port is
 * known, so the OS cannot hand out the same port twice in one call.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenOnEphemeralPort(server, host));
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

function listenOnEphemeralPort(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // exclusive: never share the port with a cluster primary; we only probe it.
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error(`could not read the port bound on ${host}`));
    });
  });
}
