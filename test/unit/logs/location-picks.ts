import { findLocation } from '../../../server/src/logs/location-match';
import { workspace } from '../engine-harness';

/** The server's location that nginx picks for each URI, named by its `location` arguments. */
export function picks(serverBody: string, uris: readonly string[]): Record<string, string> {
  const { engine } = workspace({ '/etc/nginx/nginx.conf': `events {}\nhttp {\n    server {\n${serverBody}\n    }\n}\n` });
  const [server] = engine.analyze().model.origin.servers;
  return Object.fromEntries(uris.map((uri) => {
    const location = findLocation(server.node, uri);
    return [uri, location ? location.directive.args.map((a) => a.raw).join(' ') : '(none)'];
  }));
}
