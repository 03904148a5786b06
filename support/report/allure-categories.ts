// How the report sorts results on sight. Declared once here and turned into both forms Allure
// reads: Allure 3's `categories` config (allurerc.ts; the default "awesome" report, which can match
// labels) and the legacy `categories.json` in the results folder (the "classic" report, message
// and trace only). No imports: allurerc.ts loads this file through Allure's own TypeScript loader.

type Status = 'failed' | 'broken' | 'passed' | 'skipped' | 'unknown';

export interface CategoryDef {
  name: string;
  statuses: Status[];
  /** Regex source, searched (not anchored) in the failure message and in the trace. */
  pattern?: string;
  /** Value of the `outcome` label (support/report/allure.ts) that puts a result here. */
  outcome?: string;
  /** Only outside replay: a replayed `dropped` interaction is recorded behaviour, not the network. */
  notInReplay?: boolean;
  /** Labels the Allure 3 report groups the category by. */
  groupBy?: string[];
}

const FAILED: Status[] = ['failed', 'broken', 'unknown'];

/** First match wins (Allure 3), so the most specific cause comes first. */
export const CATEGORIES: readonly CategoryDef[] = [
  {
    name: 'Configuration',
    statuses: FAILED,
    pattern: String.raw`\b(ConfigError|CassetteError|RegistryError)\b|LIVEPEER_[A-Z_]+=|is not part of this run`,
  },
  {
    name: 'Replay miss',
    statuses: FAILED,
    pattern: String.raw`Replay miss|ReplayMissError|replay-miss`,
    groupBy: ['target'],
  },
  {
    name: 'Rate limited',
    statuses: FAILED,
    // A verdict of `rate limited`: a 429 no check asked for, still there after the resends.
    outcome: 'rate limited',
    pattern: String.raw`\]: rate limited:`,
    notInReplay: true,
    groupBy: ['target'],
  },
  {
    name: 'Network / infrastructure',
    statuses: FAILED,
    // A verdict of `no answer`: the target refused, reset, stayed silent or was not found.
    outcome: 'no answer',
    pattern: String.raw`ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|UND_ERR|no response after|failed without an HTTP response|socket hang up|fetch failed`,
    notInReplay: true,
    groupBy: ['target'],
  },
  {
    name: 'Cold model',
    statuses: FAILED,
    // The `seen:` line of a verdict or the `←` line of an exchange: not the documented text,
    // which itself mentions 503 for DOC-07 and DOC-08.
    pattern: String.raw`(seen:|←)[^\n]*(\b503\b|Service Unavailable|Failed to generate)`,
    groupBy: ['target'],
  },
  {
    name: 'Changed behaviour (regression)',
    statuses: FAILED,
    outcome: 'changed',
    // The verdict headline, for the classic report that cannot read labels.
    pattern: String.raw`\]: changed:`,
    groupBy: ['check', 'target'],
  },
  {
    name: 'Known deviation',
    statuses: ['passed'],
    outcome: 'known deviation',
    groupBy: ['deviation'],
  },
];

const exactly = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

interface MatchingData {
  status: string;
  labels: readonly { name: string; value?: string }[];
  message?: string;
  trace?: string;
}
type Matcher = { statuses?: Status[]; labels?: Record<string, string>; message?: string; trace?: string } | ((d: MatchingData) => boolean);

/** Allure 3 `categories` config: `{ rules }`, label matchers included. */
export function allure3Categories(defs: readonly CategoryDef[] = CATEGORIES) {
  return {
    rules: defs.map((c) => {
      const matchers: Matcher[] = [];
      if (c.outcome) matchers.push({ statuses: c.statuses, labels: { outcome: exactly(c.outcome) } });
      if (c.pattern) {
        const re = new RegExp(c.pattern);
        const replayed = (d: MatchingData) => d.labels.some((l) => l.name === 'mode' && l.value === 'replay');
        matchers.push((d) => c.statuses.includes(d.status as Status) && !(c.notInReplay && replayed(d)) && (re.test(d.message ?? '') || re.test(d.trace ?? '')));
      }
      return {
        name: c.name,
        matchers,
        groupBy: (c.groupBy ?? []).map((label) => ({ label })),
        groupByMessage: !c.outcome,
      };
    }),
  };
}

/** Legacy `categories.json` (Allure 2 format), read by the classic report: pattern-based rows only. */
export function allure2Categories(defs: readonly CategoryDef[] = CATEGORIES) {
  return defs.filter((c) => c.pattern).map((c) => ({ name: c.name, matchedStatuses: c.statuses, traceRegex: c.pattern }));
}
