import { Format, getDirectives, getVariables } from '@nginx/reference-lib';
import { groupedBy } from '../core/grouped';

/** Which configuration family a module's directives belong to. */
export type NginxFamily = 'core' | 'http' | 'stream' | 'mail';

export interface NginxDirectiveInfo {
  name: string;
  module: string;
  family: NginxFamily;
  /** nginx's documented contexts: `main`, `http`, `server`, `location`, `if`, `if in location`, … (`''` = any). */
  contexts: readonly string[];
  isBlock: boolean;
  /** Markdown, from nginx's official documentation. */
  syntax: readonly string[];
  default: string;
  description: string;
}

export interface NginxVariableInfo {
  name: string;
  module: string;
  description: string;
}

/**
 * Third-party directives common enough in real configs that flagging them as unknown would be a false
 * alarm (OpenResty/lua, headers-more, echo, brotli, geoip2, vts, passenger, modsecurity, pagespeed).
 * Users add their own through `originDoctor.nginx.extraDirectives`.
 */
const THIRD_PARTY_DIRECTIVES: readonly string[] = [
  'more_set_headers', 'more_clear_headers', 'more_set_input_headers', 'more_clear_input_headers',
  'echo', 'echo_before_body', 'echo_after_body', 'echo_sleep', 'echo_flush', 'echo_exec', 'echo_location',
  'echo_location_async', 'echo_subrequest', 'echo_subrequest_async', 'echo_duplicate', 'echo_read_request_body',
  'echo_reset_timer', 'echo_foreach_split', 'echo_end', 'echo_request_body', 'echo_status',
  'brotli', 'brotli_static', 'brotli_types', 'brotli_comp_level', 'brotli_buffers', 'brotli_window', 'brotli_min_length',
  'geoip2', 'geoip2_proxy', 'geoip2_proxy_recursive',
  'vhost_traffic_status', 'vhost_traffic_status_zone', 'vhost_traffic_status_display', 'vhost_traffic_status_display_format',
  'passenger_enabled', 'passenger_root', 'passenger_ruby', 'passenger_app_env', 'passenger_friendly_error_pages',
  'modsecurity', 'modsecurity_rules_file', 'modsecurity_rules',
  'pagespeed',
  'lua_package_path', 'lua_package_cpath', 'lua_code_cache', 'lua_shared_dict', 'lua_socket_log_errors',
  'lua_need_request_body', 'lua_ssl_trusted_certificate', 'lua_ssl_verify_depth', 'lua_max_pending_timers',
  'lua_max_running_timers', 'lua_socket_pool_size', 'lua_socket_keepalive_timeout', 'lua_check_client_abort',
  'content_by_lua', 'content_by_lua_file', 'access_by_lua', 'access_by_lua_file', 'rewrite_by_lua',
  'rewrite_by_lua_file', 'header_filter_by_lua', 'header_filter_by_lua_file', 'body_filter_by_lua',
  'body_filter_by_lua_file', 'log_by_lua', 'log_by_lua_file', 'init_by_lua', 'init_by_lua_file',
  'init_worker_by_lua', 'init_worker_by_lua_file', 'set_by_lua', 'set_by_lua_file', 'balancer_by_lua_file',
  'ssl_certificate_by_lua_file', 'ssl_session_fetch_by_lua_file', 'ssl_session_store_by_lua_file',
  'exit_worker_by_lua_file', 'server_rewrite_by_lua_file', 'ssl_client_hello_by_lua_file',
  'set_real_ip_from_cloudflare',
];

/** Directive names ending like this take a raw Lua body: `content_by_lua_block { … }`. */
export function isRawBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

let byName: Map<string, NginxDirectiveInfo[]> | undefined;

function familyOf(module: string): NginxFamily {
  if (module.startsWith('ngx_http_')) return 'http';
  if (module.startsWith('ngx_stream_')) return 'stream';
  if (module.startsWith('ngx_mail_')) return 'mail';
  return 'core';
}

/** Loaded on first use: the reference is large and the CLI may never need it. */
function table(): Map<string, NginxDirectiveInfo[]> {
  byName ??= groupedBy(
    getDirectives(Format.Markdown).map((d): NginxDirectiveInfo => ({
      name: d.name,
      module: d.module,
      family: familyOf(d.module),
      contexts: d.contexts,
      isBlock: d.isBlock,
      syntax: d.syntax,
      default: d.default,
      description: d.description,
    })),
    (info) => info.name,
  );
  return byName;
}

/** Every documented definition of a directive (one per module that defines it); empty when unknown. */
export function nginxDirective(name: string): readonly NginxDirectiveInfo[] {
  return table().get(name) ?? UNDOCUMENTED;
}

const UNDOCUMENTED: readonly NginxDirectiveInfo[] = [];

export function allNginxDirectiveNames(): IterableIterator<string> {
  return table().keys();
}

/** Known to nginx's docs, to the built-in third-party list, or to the user's extra list. */
export function isKnownNginxDirective(name: string, extra: readonly string[] = []): boolean {
  return table().has(name) || isRawBlockDirective(name) || THIRD_PARTY_DIRECTIVES.includes(name) || extra.includes(name);
}

let variables: NginxVariableInfo[] | undefined;

export function nginxVariables(): readonly NginxVariableInfo[] {
  variables ??= getVariables(Format.Markdown).map((v) => ({ name: v.name, module: v.module, description: v.description }));
  return variables;
}
