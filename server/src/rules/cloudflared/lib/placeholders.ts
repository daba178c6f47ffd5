/**
 * Configs kept in Kubernetes or Compose repositories are often templates: `${DOMAIN}` (envsubst, Flux, Compose) or
 * `{{ .Values.host }}` (Helm, Go templates) is replaced before cloudflared reads the file, so the value cannot be
 * judged as written.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}/g;

export function hasPlaceholder(text: string): boolean {
  return text.search(PLACEHOLDER) !== -1;
}

/** The text with each placeholder replaced by a plain word, so the parts around it can still be judged. */
export function filledIn(text: string): string {
  return text.replace(PLACEHOLDER, 'x');
}
