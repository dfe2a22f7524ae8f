export {
  CLUSTER_LABEL,
  NAMESPACE_LABEL,
  describeGroups,
  promAccess,
  promAccessFor,
  type EnforcedMatcher,
  type PromAccess,
  type PromAccessGroup,
} from './access.ts';
export { MAX_OUTPUT_CHARS, MAX_QUERY_CHARS, NO_ACCESS, enforceMatchers, enforcePromQL, type PromQLError } from './enforce.ts';
export { re2Literal } from '../re2.ts';
