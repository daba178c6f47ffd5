import type { Fix } from '../../core/findings';
import type { Rule } from '../../core/rule';
import { addOriginRequestKey, yamlString } from './lib/edits';
import { goString } from './lib/go-yaml';
import { decodesAsRule } from './lib/ingress-rules';
import { isOn, isSet, originRequestSetting } from './lib/origin-request';
import { serviceOf } from './lib/services';

export const rule: Rule = {
  id: 'cloudflared/https-origin-untrusted',
  format: 'cloudflared',
  defaultSeverity: 'warning',
  title: 'An https origin whose certificate cloudflared will most likely refuse',
  docs: `Reports an \`https://\` (or \`wss://\`) service addressed by an IP address, \`localhost\` or a single-label name
(\`https://app:8443\`), when neither the rule nor the top-level \`originRequest\` (which rules inherit) sets
\`originServerName\`, \`caPool\`, \`matchSNItoHost\` or \`noTLSVerify\`.

**At runtime:** cloudflared checks the origin's certificate against the public CAs and against the host of the
service. Certificates for IP addresses, \`localhost\` or internal names are almost always self-signed or issued for
the public name instead, so the check fails (\`x509: certificate signed by unknown authority\`, \`x509: certificate
is valid for example.com, not 127.0.0.1\`) and every request gets 502 Bad Gateway.

**What to change:** tell cloudflared which name the certificate carries with \`originServerName\` (often the public
hostname, e.g. with a Cloudflare Origin CA certificate), give it the CA with \`caPool\`, or, when the origin's
certificate cannot be checked, turn the check off with \`noTLSVerify: true\` (the link to Cloudflare stays
encrypted; the one to the origin is no longer authenticated). Or use \`http://\` when the origin is on the same
machine. The quick fixes add \`originServerName\` with the rule's hostname, or \`noTLSVerify: true\`.`,
  check(ctx) {
    for (const file of ctx.model.cloudflared) {
      const { config } = file.parse;
      for (const rule of config.ingress) {
        const service = decodesAsRule(config, rule) ? serviceOf(file, config, rule) : undefined;
        if (!rule.service || service?.kind !== 'url' || (service.url.scheme !== 'https' && service.url.scheme !== 'wss')) continue;
        const { hostname } = service.url;
        if (!isUnlikelyCertificateName(hostname)) continue;
        const setting = (key: string) => originRequestSetting(file, config, rule, key);
        if (isSet(setting('originServerName')) || isSet(setting('caPool')) || isOn(setting('matchSNItoHost')) || isOn(setting('noTLSVerify'))) continue;
        const publicName = goString(file, rule.hostname);
        const fixes: Fix[] = [];
        const serverName = publicName && !publicName.includes('*') ? addOriginRequestKey(file, rule, 'originServerName', yamlString(publicName)) : undefined;
        if (serverName) fixes.push({ title: `Check the certificate for ${publicName} (originServerName: ${publicName})`, isPreferred: true, edits: [serverName] });
        const noVerify = addOriginRequestKey(file, rule, 'noTLSVerify', 'true');
        if (noVerify) fixes.push({ title: 'Accept any certificate from the origin (noTLSVerify: true): the origin is no longer authenticated', edits: [noVerify] });
        ctx.report({
          file: file.id,
          range: rule.service.valueRange,
          message: `cloudflared checks the certificate of ${service.text} against the name "${hostname}", which a trusted ` +
            'certificate almost never carries: the check fails ("x509: certificate …") and visitors get 502 Bad Gateway. ' +
            'Set originServerName to a name on the certificate, caPool to its CA, or noTLSVerify: true',
          ...(fixes.length > 0 ? { fixes } : {}),
        });
      }
    }
  },
};

/** An IP address, `localhost` or a name without a dot. */
function isUnlikelyCertificateName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return name === 'localhost' || !name.includes('.') || /^[0-9.]+$/.test(name) || name.includes(':');
}
