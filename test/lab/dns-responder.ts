import { createSocket, type Socket } from 'node:dgram';
import type { Service } from './processes';

const TYPE_A = 1;

/**
 * The smallest DNS server nginx's resolver accepts: every A question gets `address`, every other
 * type (AAAA) an empty answer. It stands in for the resolver a fixed config points at.
 */
export class DnsResponder implements Service {
  readonly name = 'dns';
  private socket?: Socket;

  constructor(private readonly port: number, private readonly address: string) {}

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (query, peer) => {
      const answer = this.answer(query);
      if (answer) socket.send(answer, peer.port, peer.address);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.port, '127.0.0.1', resolve);
    });
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** The query with the answer bit set and, for A, one record pointing at the question's name. */
  private answer(query: Buffer): Buffer | undefined {
    if (query.length < 12) return undefined;
    let end = 12;
    while (end < query.length && query[end] !== 0) end += query[end] + 1;
    const questionEnd = end + 5;
    if (questionEnd > query.length) return undefined;
    const type = query.readUInt16BE(end + 1);
    const header = Buffer.from(query.subarray(0, 12));
    header.writeUInt16BE(0x8180, 2); // response, recursion desired and available, no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(type === TYPE_A ? 1 : 0, 6);
    header.writeUInt32BE(0, 8);
    const question = query.subarray(12, questionEnd);
    if (type !== TYPE_A) return Buffer.concat([header, question]);
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    record.writeUInt16BE(TYPE_A, 2);
    record.writeUInt16BE(1, 4); // class IN
    record.writeUInt32BE(30, 6); // TTL
    record.writeUInt16BE(4, 10);
    this.address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
    return Buffer.concat([header, question, record]);
  }
}
