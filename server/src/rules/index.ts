import type { Rule } from '../core/rule';
import { rule as nginxSyntax } from './nginx/syntax';
import { rule as nginxUnknownDirective } from './nginx/unknown-directive';
import { rule as nginxDirectiveNotAllowedHere } from './nginx/directive-not-allowed-here';
import { rule as nginxIncludeNotFound } from './nginx/include-not-found';
import { rule as nginxIncludeCycle } from './nginx/include-cycle';
import { rule as nginxUpstreamAllDown } from './nginx/upstream-all-down';
import { rule as nginxKeepaliveNeedsHttp11 } from './nginx/keepalive-needs-http11';
import { rule as nginxTimeoutBeyondCloudflare } from './nginx/timeout-beyond-cloudflare';
import { rule as nginxGzipContentLength } from './nginx/gzip-content-length';
import { rule as nginxWorkerCapacity } from './nginx/worker-capacity';
import { rule as nginxHttp2ListenDeprecated } from './nginx/http2-listen-deprecated';
import { rule as fpmSyntax } from './php-fpm/syntax';
import { rule as fpmHashComment } from './php-fpm/hash-comment';
import { rule as fpmUnknownDirective } from './php-fpm/unknown-directive';
import { rule as cloudflaredYamlSyntax } from './cloudflared/yaml-syntax';
import { rule as cloudflaredIngressCatchAllMissing } from './cloudflared/ingress-catch-all-missing';
import { rule as cloudflaredIngressCatchAllNotLast } from './cloudflared/ingress-catch-all-not-last';
import { rule as cloudflaredInvalidService } from './cloudflared/invalid-service';
import { rule as cloudflaredInvalidHostname } from './cloudflared/invalid-hostname';
import { rule as cloudflaredInvalidPath } from './cloudflared/invalid-path';
import { rule as cloudflaredUnknownKey } from './cloudflared/unknown-key';
import { rule as cloudflaredInvalidValue } from './cloudflared/invalid-value';
import { rule as cloudflaredHostnameNeverMatches } from './cloudflared/hostname-never-matches';
import { rule as cloudflaredSchemePortMismatch } from './cloudflared/scheme-port-mismatch';
import { rule as cloudflaredHttpsOriginUntrusted } from './cloudflared/https-origin-untrusted';
import { rule as cloudflaredLocalhostService } from './cloudflared/localhost-service';
import { rule as cloudflaredLocalhostInContainer } from './cloudflared/localhost-in-container';
import { rule as cloudflaredHttp2Origin } from './cloudflared/http2-origin';
import { rule as cloudflaredConnectTimeoutShort } from './cloudflared/connect-timeout-short';
import { rule as cloudflaredCredentialsMissing } from './cloudflared/credentials-missing';
import { rule as nginxFastcgiTargetMismatch } from './nginx/fastcgi-target-mismatch';
import { rule as nginxProxyPassLocalhost } from './nginx/proxy-pass-localhost';
import { rule as nginxUpstreamBufferTooSmall } from './nginx/upstream-buffer-too-small';
import { rule as nginxResolverMissing } from './nginx/resolver-missing';
import { rule as nginxUpstreamSslSni } from './nginx/upstream-ssl-sni';
import { rule as nginxSchemePortMismatch } from './nginx/scheme-port-mismatch';
import { rule as nginxUpstreamUndefined } from './nginx/upstream-undefined';
import { rule as nginxUpstreamKeepaliveFpm } from './nginx/upstream-keepalive-fpm';
import { rule as fpmInvalidValue } from './php-fpm/invalid-value';
import { rule as fpmPmInvalid } from './php-fpm/pm-invalid';
import { rule as fpmMaxChildrenLow } from './php-fpm/max-children-low';
import { rule as fpmMaxChildrenExceedsMemory } from './php-fpm/max-children-exceeds-memory';
import { rule as fpmRequestTerminateShort } from './php-fpm/request-terminate-short';
import { rule as fpmMaxRequestsUnbounded } from './php-fpm/max-requests-unbounded';
import { rule as fpmListenBacklogLow } from './php-fpm/listen-backlog-low';
import { rule as fpmZlibCompression } from './php-fpm/zlib-compression';
import { rule as fpmTerminateBeforeNginx } from './php-fpm/terminate-before-nginx';
import { rule as fpmListenPermissions } from './php-fpm/listen-permissions';
import { rule as cloudflaredServiceNoListener } from './cloudflared/service-no-listener';
import { rule as cloudflaredSchemeListenerMismatch } from './cloudflared/scheme-listener-mismatch';

/** Every rule, in the order their findings are reported for the same position. */
export const ALL_RULES: readonly Rule[] = [
  nginxSyntax,
  nginxUnknownDirective,
  nginxDirectiveNotAllowedHere,
  nginxIncludeNotFound,
  nginxIncludeCycle,
  nginxUpstreamAllDown,
  nginxKeepaliveNeedsHttp11,
  nginxTimeoutBeyondCloudflare,
  nginxGzipContentLength,
  nginxWorkerCapacity,
  nginxHttp2ListenDeprecated,
  nginxFastcgiTargetMismatch,
  nginxUpstreamKeepaliveFpm,
  nginxProxyPassLocalhost,
  nginxUpstreamBufferTooSmall,
  nginxResolverMissing,
  nginxUpstreamSslSni,
  nginxSchemePortMismatch,
  nginxUpstreamUndefined,
  fpmSyntax,
  fpmHashComment,
  fpmUnknownDirective,
  fpmInvalidValue,
  fpmPmInvalid,
  fpmMaxChildrenLow,
  fpmMaxChildrenExceedsMemory,
  fpmRequestTerminateShort,
  fpmMaxRequestsUnbounded,
  fpmListenBacklogLow,
  fpmZlibCompression,
  fpmTerminateBeforeNginx,
  fpmListenPermissions,
  cloudflaredYamlSyntax,
  cloudflaredIngressCatchAllMissing,
  cloudflaredIngressCatchAllNotLast,
  cloudflaredInvalidService,
  cloudflaredInvalidHostname,
  cloudflaredInvalidPath,
  cloudflaredUnknownKey,
  cloudflaredInvalidValue,
  cloudflaredHostnameNeverMatches,
  cloudflaredSchemePortMismatch,
  cloudflaredHttpsOriginUntrusted,
  cloudflaredLocalhostService,
  cloudflaredLocalhostInContainer,
  cloudflaredHttp2Origin,
  cloudflaredConnectTimeoutShort,
  cloudflaredCredentialsMissing,
  cloudflaredServiceNoListener,
  cloudflaredSchemeListenerMismatch,
];

const byId = new Map(ALL_RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
