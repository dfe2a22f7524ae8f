export { LiveConnection, type LiveState, type EventSourceLike, type VisibilityLike, type TopicListener } from './live-connection.ts';
export { liveConnection } from './live-stream.ts';
export type { LivePatcher } from './patcher.ts';
export { useLivePatcher } from './use-live-patcher.ts';
