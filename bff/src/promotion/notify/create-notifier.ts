import type { Config } from '../../config/schema.ts';
import type { Logger } from '../../lib/logger.ts';
import type { InventorySource } from '../../sources/inventory.ts';
import type { Leadership, Notifier } from '../contracts.ts';

export interface NotifierDeps {
  config: Config;
  logger: Logger;
  inventory: InventorySource;
  leadership: Leadership;
  /** The dashboard's public URL (deep links). */
  publicUrl: string;
}

// PLACEHOLDER (replaced by the notifications module).
export function createNotifier(_deps: NotifierDeps): Notifier {
  return { publish: () => undefined, start: () => Promise.resolve(), stop: () => Promise.resolve(), deadLetters: () => [] };
}
