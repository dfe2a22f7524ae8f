import { AuditQuery, apiPaths, type AuditList } from '@fleetdeck/shared';

import { auditVisibleTo } from '../audit/audit-log.ts';
import { AUTHENTICATED, defineRoute } from './route.ts';

export const auditRoute = defineRoute({
  method: 'get',
  path: apiPaths.audit,
  permission: AUTHENTICATED,
  summary: 'Recent audit records the caller may see (all for Platform Admins; own and own-tenant otherwise).',
  query: AuditQuery,
  handler: ({ res, query, principal, scope, services }) => {
    const visible = auditVisibleTo(principal, scope);
    const body: AuditList = { items: services.audit.recent(1000).filter(visible).slice(0, query.limit) };
    res.json(body);
  },
});
