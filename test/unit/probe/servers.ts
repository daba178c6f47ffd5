import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';

/**
 * Servers for the probe tests: each listens on 127.0.0.1 on a port the system picks, and is closed with every
 * connection to it when the test that started it ends, passed or failed.
 */

export async function listen(t: TestContext, server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  t.after(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: bound by the system, then released. */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts and then says nothing. */
export function silentServer(t: TestContext): Promise<number> {
  return listen(t, createServer(() => undefined));
}

/** A TCP server that answers each connection's first bytes with `reply` (raw HTTP) and closes. */
export function rawServer(t: TestContext, reply: (request: string) => string | Buffer): Promise<number> {
  return listen(t, createServer((socket) => socket.once('data', (data) => socket.end(reply(data.toString('latin1'))))));
}

/**
 * A listener whose accept queue is full, so the kernel drops the next SYN and a connect times out, as behind
 * a firewall that drops packets: loopback cannot lose a SYN any other way. The listening socket lives in a
 * worker whose event loop is held still, so it never accepts; two connections fill its backlog of one.
 */
export async function fullBacklogListener(t: TestContext): Promise<number> {
  const release = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const server = require('node:net').createServer();
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      parentPort.postMessage(server.address().port);
      Atomics.wait(workerData, 0, 0);
      server.close();
    });
  `, { eval: true, workerData: release });
  const fillers: Socket[] = [];
  t.after(async () => {
    fillers.forEach((socket) => socket.destroy());
    Atomics.store(release, 0, 1);
    Atomics.notify(release, 0);
    await new Promise((resolve) => worker.once('exit', resolve));
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  for (let i = 0; i < 2; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    fillers.push(socket);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  }
  return port;
}

/**
 * A DNS server on 127.0.0.1 (UDP) that knows `records` (name → IPv4) and answers NXDOMAIN for any other
 * name; returns its `127.0.0.1:PORT` for the probe's dnsServers.
 */
export async function dnsServer(t: TestContext, records: Record<string, string>): Promise<string> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => socket.send(dnsAnswer(query, records), peer.port, peer.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return `127.0.0.1:${socket.address().port}`;
}

const TYPE_A = 1;

function dnsAnswer(query: Buffer, records: Record<string, string>): Buffer {
  let offset = 12;
  const labels: string[] = [];
  while (query[offset] !== 0) {
    labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('latin1'));
    offset += query[offset] + 1;
  }
  const questionEnd = offset + 5;
  const type = query.readUInt16BE(offset + 1);
  const address = records[labels.join('.').toLowerCase()];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, RD copied, RA; rcode 3 (NXDOMAIN) for unknown names, else an answer only for an A question.
  header.writeUInt16BE(0x8080 | (query.readUInt16BE(2) & 0x0100) | (address ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  const answers = address && type === TYPE_A ? [answerRecord(address)] : [];
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

function answerRecord(ipv4: string): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(1, 4); // class IN
  record.writeUInt32BE(60, 6);
  record.writeUInt16BE(4, 10);
  ipv4.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
  return record;
}
