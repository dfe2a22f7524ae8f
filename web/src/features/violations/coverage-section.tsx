import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { violationsCoverageQuery } from '../../api/queries.ts';
import { QuerySection } from '../../components/query-section.tsx';
import { CoveragePanel } from './coverage-panel.tsx';
import { IsolationMatrix } from './isolation-matrix.tsx';

const common = { loadingLabel: 'Reading policies…', errorTitle: 'Coverage could not be loaded', notFoundIsNote: false } as const;

/** Baseline policy coverage and tenant isolation, for the clusters (and tenant) the page is filtered to. */
export function CoverageSections({ cluster, tenant }: { cluster: string | undefined; tenant: string | undefined }) {
  const query = useQuery({
    ...violationsCoverageQuery({ ...(cluster && { cluster }), ...(tenant && { tenant }) }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <QuerySection
        id="violations-coverage"
        title="Baseline policy coverage"
        query={query}
        {...common}
        empty={{ when: (d) => d.coverage.length === 0, text: 'No cluster reports its policies.' }}
        partialErrors={(d) => d.errors}
      >
        {(d) => <CoveragePanel coverage={d.coverage} />}
      </QuerySection>
      <QuerySection
        id="violations-isolation"
        title="Tenant isolation"
        query={query}
        {...common}
        empty={{ when: (d) => d.isolation.length === 0, text: 'No tenant namespaces to check.' }}
      >
        {(d) => <IsolationMatrix isolation={d.isolation} />}
      </QuerySection>
    </>
  );
}
