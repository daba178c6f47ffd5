import { createServer } from 'node:net';

/**
 * Ports nothing listens on right now, one per name: each is bound on 127.0.0.1 and on ::1 and
 * released, so a service may take either family. All are held until all are found, so no two match.
 */
export async function freePorts<Name extends string>(names: readonly Name[]): Promise<Record<Name, number>> {
  const held: Array<() => Promise<void>> = [];
  const ports = {} as Record<Name, number>;
  try {
    for (const name of names) {
      for (;;) {
        const v4 = await bind('127.0.0.1', 0);
        const v6 = await bind('::1', v4.port).catch(() => undefined);
        held.push(v4.close);
        if (!v6) continue;
        held.push(v6.close);
        ports[name] = v4.port;
        break;
      }
    }
    return ports;
  } finally {
    await Promise.all(held.map((close) => close()));
  }
}

function bind(host: string, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      resolve({ port: address.port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
