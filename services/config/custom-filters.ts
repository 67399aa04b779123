// The CUSTOM_FILTERS environment variable: whitespace-separated `name=v1,v2` terms that replace the default
// EC2 instance filters (and, downstream, the ASG tag filters). Upstream never fails on a bad value: it logs
// and keeps its default filters, so we do the same and hand the caller a warning to log.

import type { ConfigWarning, Ec2Filter } from './config.ts';

export const CUSTOM_FILTERS_ENV = 'CUSTOM_FILTERS';

// Go's strings.Fields splits on unicode.IsSpace, which differs slightly from JavaScript's \s
// (Go counts U+0085 and not U+FEFF).
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

export interface CustomFiltersResult {
  /** undefined = use the default filters. */
  readonly filters: readonly Ec2Filter[] | undefined;
  readonly warning?: ConfigWarning;
}

export function parseCustomFilters(value: string | undefined): CustomFiltersResult {
  if (value === undefined || value === '') return { filters: undefined };

  const terms = value.split(GO_SPACE).filter((term) => term !== '');
  const filters: Ec2Filter[] = [];
  for (const term of terms) {
    const parts = term.split('=');
    if (parts.length !== 2) {
      return {
        filters: undefined,
        warning: {
          flag: CUSTOM_FILTERS_ENV,
          message:
            `${CUSTOM_FILTERS_ENV}: term ${JSON.stringify(term)} is not name=value (exactly one '='); ` +
            'ignoring the whole variable and using the default filters',
        },
      };
    }
    const [name, values] = parts as [string, string];
    filters.push({ name, values: values.split(',') });
  }

  if (filters.length === 0) {
    // Upstream turns a blank-but-set variable into an empty filter list, which matches every instance.
    return {
      filters,
      warning: {
        flag: CUSTOM_FILTERS_ENV,
        message: `${CUSTOM_FILTERS_ENV} is set but holds no terms; no EC2 filter applies, so every instance in the region matches`,
      },
    };
  }
  return { filters };
}
