import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const webDir = fileURLToPath(new URL('..', import.meta.url));

describe('index.html', () => {
  it('names a raster favicon that is there: Chromium decodes the favicon again on every same-document URL change', () => {
    // An SVG favicon costs an isolated SVG document on the page's main thread each time (5–40 ms
    // of every Health range change in a Chromium trace); a 32 px PNG, about 3 ms.
    const html = readFileSync(`${webDir}/index.html`, 'utf8');
    const icons = [...html.matchAll(/<link rel="icon" href="\/([^"]+)" type="([^"]+)"/g)];
    expect(icons).toHaveLength(1);
    const [, file, type] = icons[0]!;
    expect(type).toBe('image/png');
    expect(existsSync(`${webDir}/public/${file}`)).toBe(true);
    expect(readFileSync(`${webDir}/public/${file}`).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });
});
