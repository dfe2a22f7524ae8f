export {
  CLUSTER_LABEL,
  alternation,
  NAMESPACE_LABEL,
  describeGroups,
  logAccess,
  logAccessFor,
  namespacePatternsFor,
  restrictLogAccess,
  splitLogAccess,
  type EnforcedMatcher,
  type LogAccess,
  type LogAccessGroup,
} from './access.ts';
export {
  MAX_OR_GROUPS,
  NOBODY,
  enforceLogQL,
  enforceLogQLPerGroup,
  enforceSelectorParam,
  enforceSelectorParamPerGroup,
  verifyEnforced,
  type EnforceResult,
} from './enforce.ts';
export { globToRe2, logqlString, re2Literal } from '../re2.ts';
export { collect, parseStrict, selectorMatchers, type LogQLRefusal, type SelectorMatcher } from './tree.ts';
