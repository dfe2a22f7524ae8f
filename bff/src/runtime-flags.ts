/**
 * V8 flags the BFF runs with, wherever it is started (npm start, e2e, bench, the Helm
 * chart). A young generation of 4 MB semi-spaces instead of V8's 16 MB: the BFF makes
 * short-lived garbage in bursts (hub list pages, fleet answers), and the default lets
 * each burst grow the heap by tens of megabytes. Measured with `npm run bench -- --only
 * fleet` at 5,000 clusters: RSS after sync 250–266 MB by default, 208 MB with this flag;
 * GET /api/fleet p95 unchanged within the run's noise. `bff/package.json`'s `start`
 * script carries the same flags (a unit test keeps them equal).
 */
export const BFF_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
