import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Runs the built service (dist/apps/api/src/main.js) as a real child process, so a test can start
 * several of them on one DATA_DIR and kill one with SIGKILL.
 */
export interface ServiceProcess {
  readonly name: string;
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout/stderr (for failure messages). */
  readonly output: string[];
  /** True once the process has exited (by a signal or otherwise). */
  exited(): boolean;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
}

export const MAIN_JS = 'dist/apps/api/src/main.js';

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The same MongoDB server with the database (the URL's path) replaced by `dbName`. */
export function withDatabase(mongoUrl: string, dbName: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${dbName}`;
  return url.toString();
}

export async function startService(
  name: string,
  env: Record<string, string>,
  options: { cwd: string; readyTimeoutMs?: number },
): Promise<ServiceProcess> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: options.cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exitedFlag = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedFlag = true;
      resolve();
    }),
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const service: ServiceProcess = {
    name,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output,
    exited: () => exitedFlag,
    async kill() {
      if (!exitedFlag) child.kill('SIGKILL');
      await exit;
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitedFlag) throw new Error(`${name} exited before it was ready:\n${output.join('')}`);
    try {
      const res = await fetch(`${service.baseUrl}/health/ready`);
      await res.text();
      if (res.status === 200) return service;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`${name} not ready after ${options.readyTimeoutMs ?? 30_000} ms:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
