/**
 * The `originRequest` settings in force for an ingress rule, as cloudflared's `setConfig` merges them: the rule's
 * own key, else the top-level `originRequest`'s, each map with its `<<` merges.
 */
import type { ParsedFile } from '../../../model/workspace';
import type { CloudflaredConfig, CloudflaredEntry, CloudflaredIngressRule } from '../../../parsers/cloudflared/ast';
import { goBool, goTagOfDecoded, goValue, type GoValue } from './go-yaml';

export interface OriginRequestSetting {
  /** Where the key is written; absent when it comes in through a `<<` merge. */
  entry?: CloudflaredEntry;
  /** True when the rule inherits it from the top-level `originRequest`. */
  inherited: boolean;
  value: GoValue;
}

export function originRequestSetting(
  file: ParsedFile<unknown>,
  config: CloudflaredConfig,
  rule: CloudflaredIngressRule,
  key: string,
): OriginRequestSetting | undefined {
  const own = settingIn(file, rule.originRequest, key);
  if (own) return { ...own, inherited: false };
  const inherited = settingIn(file, config.originRequest, key);
  return inherited && { ...inherited, inherited: true };
}

/** True when the setting is in force and a Go `bool` field reads it as true. */
export function isOn(setting: OriginRequestSetting | undefined): boolean {
  return setting !== undefined && goBool(setting.value) === true;
}

/** True when a string setting is in force with some text (an empty one is cloudflared's default). */
export function isSet(setting: OriginRequestSetting | undefined): boolean {
  return setting !== undefined && setting.value.tag !== '!!null' && setting.value.text !== '';
}

function settingIn(file: ParsedFile<unknown>, entries: CloudflaredEntry[], key: string): Omit<OriginRequestSetting, 'inherited'> | undefined {
  const entry = entries.find((e) => e.key === key);
  if (entry) {
    const value = goValue(file, entry);
    return value && { entry, value };
  }
  // yaml.v3 merges `<<: *a` and `<<: [*a, *b]`, earlier maps first.
  for (const merge of entries.filter((e) => e.key === '<<')) {
    for (const map of Array.isArray(merge.value) ? merge.value : [merge.value]) {
      if (typeof map === 'object' && map !== null && key in map) return { value: decodedGoValue((map as Record<string, unknown>)[key]) };
    }
  }
  return undefined;
}

/** A merged-in value has no entry to read; its decoded form gives the tag (a string's quoting is lost, rarely matters). */
function decodedGoValue(value: unknown): GoValue {
  const tag = goTagOfDecoded(value);
  return { tag, text: tag === '!!null' || tag === '!!seq' || tag === '!!map' ? '' : String(value) };
}

/**
 * The keys of every `originRequest` map as written: the top-level one and each rule's own (one merged into a rule
 * through `<<` is read where it is written).
 */
export function writtenOriginRequests(config: CloudflaredConfig): CloudflaredEntry[][] {
  const own = config.ingress.filter((rule) => rule.entries.some((e) => e.key === 'originRequest'));
  return [config.originRequest, ...own.map((rule) => rule.originRequest)];
}
