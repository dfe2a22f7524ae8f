import { formatTable } from '../lib/record.ts';
import { rolloutsBenchmarks } from './rollouts.ts';

/**
 * The rollouts figures alone, without loading the other areas (`node bench/areas/rollouts-run-alone.ts`):
 * prints the table and the records as JSON lines, and leaves bench/results/latest.jsonl alone.
 */
const records = await rolloutsBenchmarks((l) => console.log(`  ${l}`));
console.log(`\n${formatTable(records)}\n`);
for (const r of records) console.log(`RECORD ${JSON.stringify(r)}`);
