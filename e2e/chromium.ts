/**
 * Debian's Chromium, never a downloaded browser. The flags keep it from reaching for
 * the network (this machine's is closed) and let it run as root in CI. The e2e suite
 * and the web benchmarks both launch it with these.
 */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
