import type { FindingKind, Severity } from '../../core/model';
import type { FindingSort, FindingsModel, ResolvedFilter } from './model';
import { kindLabel, SEVERITY_LABELS } from './words';

const SEVERITIES: Severity[] = ['error', 'warn', 'info'];

/** Search and filters over the findings; every control is labelled and reachable by Tab. */
export function FiltersBar({ model }: { model: FindingsModel }) {
  const f = model.filters.value;
  const counts = model.counts.value;
  const kind = f.kinds.size === 1 ? [...f.kinds][0]! : '';
  return (
    <div class="filters" role="search" aria-label="Filter findings">
      <label class="search">
        <span class="sr-only">Search findings</span>
        <input
          type="search"
          placeholder="Search ids, companies, messages…"
          data-testid="findings-search"
          value={f.search}
          onInput={(e) => model.setFilters({ search: e.currentTarget.value })}
        />
      </label>
      <div class="sev-toggles" role="group" aria-label="Severity">
        {SEVERITIES.map((s) => (
          <button
            type="button"
            key={s}
            class={`chip sev-${s}`}
            aria-pressed={f.severities.has(s)}
            data-testid={`filter-severity-${s}`}
            onClick={() => model.toggleSeverity(s)}
          >
            {SEVERITY_LABELS[s]} <span class="count">{counts[s]}</span>
          </button>
        ))}
      </div>
      <label>
        <span>Kind</span>
        <select
          data-testid="filter-kind"
          value={kind}
          onChange={(e) => {
            const v = e.currentTarget.value as FindingKind | '';
            model.setFilters({ kinds: v ? new Set([v]) : new Set() });
          }}
        >
          <option value="">All kinds</option>
          {model.kindsPresent.map((k) => (
            <option key={k} value={k}>{kindLabel(k)}</option>
          ))}
        </select>
      </label>
      <label>
        <span>Company</span>
        <select
          data-testid="filter-company"
          value={f.company ?? ''}
          onChange={(e) => model.setFilters({ company: e.currentTarget.value || null })}
        >
          <option value="">All companies</option>
          {model.companies.value.map((c) => (
            <option key={c.key} value={c.key}>{c.label}</option>
          ))}
        </select>
      </label>
      <label>
        <span>Status</span>
        <select
          data-testid="filter-resolved"
          value={f.resolved}
          onChange={(e) => model.setFilters({ resolved: e.currentTarget.value as ResolvedFilter })}
        >
          <option value="open">Open ({counts.open})</option>
          <option value="resolved">Resolved ({counts.resolved})</option>
          <option value="ignored">Ignored ({counts.ignored})</option>
          <option value="all">All ({counts.total})</option>
        </select>
      </label>
      <label>
        <span>Sort</span>
        <select data-testid="findings-sort" value={f.sort} onChange={(e) => model.setFilters({ sort: e.currentTarget.value as FindingSort })}>
          <option value="tree">By company and agreement</option>
          <option value="amount">By amount at stake</option>
        </select>
      </label>
      <button type="button" data-testid="clear-filters" onClick={() => model.clearFilters()}>Clear filters</button>
    </div>
  );
}
