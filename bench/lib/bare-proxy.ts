import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A pass-through HTTP proxy and nothing else: each request goes to `upstream` unchanged
 * over a kept-alive connection, and the answer is piped back (no sign-in, no checks, no
 * parsing). Run as its own process beside the BFF, it is the floor of what any proxy on
 * node:http costs on this machine — one more hop, two more socket writes and reads — so a
 * proxy's overhead can be read against what a hop costs at all.
 */
export function startBareProxy(upstream: string, port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), upstream, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare proxy exited (${code}) before it listened`)));
    // It prints its port once it listens.
    child.stdout.once('data', (line: Buffer) => resolve({ child, url: `http://127.0.0.1:${Number(line.toString())}` }));
  });
}

function serve(upstream: string, port: number) {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const up = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(process.argv[2]!, Number(process.argv[3]));
