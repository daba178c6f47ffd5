import type { SeveritySetting } from './findings';

/** Everything a user can tune, in the editor (`originDoctor.*`) or through the CLI's `--config` file. */
export interface Settings {
  /** Per-rule severity override, keyed by rule id. */
  rules: Record<string, SeveritySetting>;
  nginx: {
    /** Third-party directive names to accept (modules outside nginx's official docs). */
    extraDirectives: string[];
  };
}

export const DEFAULT_SETTINGS: Settings = {
  rules: {},
  nginx: { extraDirectives: [] },
};

/** Fills a partial, untrusted settings object (from JSON or the editor) with defaults; ignores wrong types. */
export function resolveSettings(input: unknown): Settings {
  const source = isObject(input) ? input : {};
  const rules: Record<string, SeveritySetting> = {};
  if (isObject(source.rules)) {
    for (const [id, value] of Object.entries(source.rules)) {
      if (value === 'off' || value === 'hint' || value === 'information' || value === 'warning' || value === 'error') {
        rules[id] = value;
      }
    }
  }
  const nginx = isObject(source.nginx) ? source.nginx : {};
  const extraDirectives = Array.isArray(nginx.extraDirectives)
    ? nginx.extraDirectives.filter((d): d is string => typeof d === 'string')
    : [];
  return { rules, nginx: { extraDirectives } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
