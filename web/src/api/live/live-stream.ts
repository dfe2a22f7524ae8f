import { LiveConnection } from './live-connection.ts';

let connection: LiveConnection | undefined;

/** The tab's one live connection, created on first use with the browser's EventSource. */
export function liveConnection(): LiveConnection {
  connection ??= new LiveConnection({
    createEventSource: (url) => new EventSource(url, { withCredentials: true }),
    visibility: document,
  });
  return connection;
}
