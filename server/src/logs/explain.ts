import type { Finding, Fix } from '../core/findings';
import type { Analysis } from '../engine/engine';
import { distinctByPlace } from '../model/origin';
import { upstreamOf } from './causes';
import { distinctFixes, findingsOnPlaces } from './config-fixes';
import type { CauseGroup } from './grouping';
import type { LogEvent } from './log-event';
import { routeOf } from './request-route';
import { responsibleConfig, type ConfigPlace } from './responsible';

/** A cause seen in a log, with the config lines behind it. */
export interface ExplainedCause extends Pick<CauseGroup, 'cause' | 'count' | 'first' | 'last' | 'firstLine' | 'lastLine'> {
  /** The most frequent context's line. */
  sample: LogEvent;
  upstream?: string;
  /** Responsible lines over every sampled context, in the cause's order; empty without a workspace. */
  config: ConfigPlace[];
  /** The config rules' findings on those lines. */
  findings: Finding[];
  /** Their quick fixes. */
  fixes: Fix[];
}

/** Relates each group to the workspace's config; without an analysis, the log alone is explained. */
export function explainGroups(groups: readonly CauseGroup[], analysis?: Analysis): ExplainedCause[] {
  return groups.map((group) => {
    const sample = group.samples[0].event;
    const config = analysis ? configOf(group, analysis) : [];
    const findings = analysis ? findingsOnPlaces(group.cause, config, analysis.findings) : [];
    return {
      cause: group.cause,
      count: group.count,
      first: group.first,
      last: group.last,
      firstLine: group.firstLine,
      lastLine: group.lastLine,
      sample,
      upstream: upstreamOf(group.cause, sample),
      config,
      findings,
      fixes: distinctFixes(findings),
    };
  });
}

function configOf(group: CauseGroup, { model }: Analysis): ConfigPlace[] {
  const places = group.samples.flatMap(({ event }) => responsibleConfig(group.cause, event, routeOf(model.origin, event), model));
  return distinctByPlace(places, (p) => p);
}
