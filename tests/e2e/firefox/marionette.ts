/**
 * A small client for Marionette, Firefox's own remote protocol: no geckodriver in between.
 *
 * The wire format is `<byte length>:<JSON>`. Commands go out as `[0, id, name, params]` and
 * answers come back as `[1, id, error, result]`; the server speaks first with a hello that names
 * the protocol version.
 */
import { connect, type Socket } from 'node:net';

export class MarionetteError extends Error {
  constructor(
    readonly command: string,
    readonly code: string,
    message: string,
  ) {
    super(`${command}: ${code}: ${message}`);
  }
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class Marionette {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private hello?: (value: unknown) => void;
  private closedWith?: Error;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('Marionette connection closed')));
  }

  /** Connects, retrying while Firefox is still starting, until the hello arrives. */
  static async connect(port: number, timeoutMs = 60_000): Promise<Marionette> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          s.once('error', reject);
        });
        const client = new Marionette(socket);
        const hello = await new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no Marionette hello')), 10_000);
          socket.once('close', () => {
            clearTimeout(timer);
            reject(new Error('closed before the Marionette hello'));
          });
          client.hello = (v) => {
            clearTimeout(timer);
            resolve(v);
          };
        });
        if ((hello as { marionetteProtocol?: number }).marionetteProtocol !== 3) {
          socket.destroy();
          throw new Error(`unexpected Marionette hello ${JSON.stringify(hello)}`);
        }
        return client;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error(`Marionette on port ${port} did not answer: ${String(last)}`);
  }

  async send<T = unknown>(command: string, params: object = {}): Promise<T> {
    if (this.closedWith) throw this.closedWith;
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify([0, id, command, params]), 'utf8');
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { command, resolve, reject }));
    this.socket.write(`${body.length}:`);
    this.socket.write(body);
    return answer as Promise<T>;
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (!Number.isInteger(length)) return this.fail(new Error('Marionette framing lost'));
      if (this.buffer.length < colon + 1 + length) return;
      const text = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + length);
      this.dispatch(JSON.parse(text) as unknown);
    }
  }

  private dispatch(message: unknown): void {
    if (!Array.isArray(message)) {
      this.hello?.(message);
      this.hello = undefined;
      return;
    }
    const [type, id, error, result] = message as [number, number, { error: string; message: string } | null, unknown];
    if (type !== 1) return;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (error) p.reject(new MarionetteError(p.command, error.error, error.message));
    else p.resolve(result);
  }

  private fail(err: Error): void {
    this.closedWith ??= err;
    for (const p of this.pending.values()) p.reject(new Error(`${p.command}: ${err.message}`));
    this.pending.clear();
  }
}
