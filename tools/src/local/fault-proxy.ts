import { createServer, connect, type Socket } from 'node:net';

export interface FaultProxy {
  hostPort: string;
  /** From now on, connections are accepted and then hear nothing: the peer seems to hang. */
  blackhole(): void;
  /** From now on, connections are closed at once: the peer seems down. */
  refuse(): void;
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of a dependency, for tests that take the dependency away. */
export async function startFaultProxy(port: number, target: string): Promise<FaultProxy> {
  const [host = '127.0.0.1', targetPort = ''] = target.split(':');
  let mode: 'pass' | 'blackhole' | 'refuse' = 'pass';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (mode === 'refuse') return void client.destroy();
    if (mode === 'blackhole') return void client.resume();
    const upstream = connect(Number(targetPort), host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', resolve);
  });
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    hostPort: `127.0.0.1:${port}`,
    blackhole: () => {
      mode = 'blackhole';
      cutAll();
    },
    refuse: () => {
      mode = 'refuse';
      cutAll();
    },
    restore: () => {
      mode = 'pass';
    },
    close: () =>
      new Promise((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
