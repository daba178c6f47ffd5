import type { Rule, RuleContext } from '../../core/rule';
import type { ParsedFile } from '../../model/workspace';
import type { CloudflaredEntry } from '../../parsers/cloudflared/ast';
import { entrySpan, removeLines } from './lib/edits';
import { decodesAsRule } from './lib/ingress-rules';
import { isOn, originRequestSetting } from './lib/origin-request';
import { isHttpScheme, serviceOf, type Service } from './lib/services';

export const rule: Rule = {
  id: 'cloudflared/http2-origin',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'http2Origin on a plain-HTTP service, where cloudflared cannot use HTTP/2',
  docs: `Reports \`http2Origin: true\` in force for a service that cloudflared reaches without TLS: \`http://\`,
\`ws://\` or \`unix:\`. A top-level \`http2Origin\` is reported when every rule that inherits it is such a service.

**At runtime:** cloudflared offers HTTP/2 to an origin only in the TLS handshake (ALPN); Go's HTTP client never
speaks cleartext HTTP/2 (h2c). So the setting does nothing there: requests still go out as HTTP/1.1. An origin that
only speaks HTTP/2 on a plain port, such as a gRPC server, cannot answer them, and visitors get 502 Bad Gateway;
anyone reading the config is led to believe the origin is reached over HTTP/2.

**What to change:** remove \`http2Origin\` (the quick fix does), or serve the origin over TLS and use \`https://\`,
with \`originServerName\` or \`caPool\` so cloudflared accepts its certificate.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      const inheritors: Service[] = [];
      for (const rule of config.ingress) {
        const setting = originRequestSetting(file, config, rule, 'http2Origin');
        const service = decodesAsRule(config, rule) ? serviceOf(file, config, rule) : undefined;
        if (!isOn(setting) || !service || !speaksHttp(service)) continue;
        if (setting?.inherited) inheritors.push(service);
        else if (setting?.entry && isCleartext(service)) report(ctx, file, setting.entry, describe(service));
      }
      const topLevel = config.originRequest.find((e) => e.key === 'http2Origin');
      if (topLevel && inheritors.length > 0 && inheritors.every(isCleartext)) report(ctx, file, topLevel, inheritors.map(describe).join(', '));
    }
  },
};

function report(ctx: RuleContext, file: ParsedFile<unknown>, entry: CloudflaredEntry, services: string): void {
  const edit = removeLines(file, entrySpan(entry));
  ctx.report({
    file: file.id,
    range: entrySpan(entry),
    message: `http2Origin has no effect on ${services}: cloudflared offers HTTP/2 to an origin only over TLS, so requests go ` +
      'out as HTTP/1.1, and an origin that only speaks cleartext HTTP/2 (h2c, e.g. gRPC) answers them with errors (502 Bad Gateway)',
    ...(edit ? { fixes: [{ title: 'Remove http2Origin', isPreferred: true, edits: [edit] }] } : {}),
  });
}

/** Services that cloudflared reaches with its HTTP client, where http2Origin applies. */
function speaksHttp(service: Service): boolean {
  return service.kind === 'unix' || (service.kind === 'url' && isHttpScheme(service.url.scheme));
}

function isCleartext(service: Service): boolean {
  return service.kind === 'unix' ? !service.tls : service.kind === 'url' && (service.url.scheme === 'http' || service.url.scheme === 'ws');
}

function describe(service: Service): string {
  return service.kind === 'url' ? service.text : 'a unix: socket';
}
