import { ANNOTATION } from './fleet-objects.ts';

/** A GitRepo as read from the API server; every field we do not touch is sent back unchanged. */
export interface GitRepoDocument {
  metadata?: { annotations?: Record<string, string>; resourceVersion?: string; [k: string]: unknown };
  spec?: { branch?: string; revision?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * The GitRepo pinned to `commit`, or undefined when it already is. Fleet ignores
 * `spec.revision` while `spec.branch` is set, so the branch is cleared and kept in
 * Fleetdeck's annotation ("" when none was set) for unpin; a second pin keeps the
 * branch the first one saved.
 */
export function pinGitRepo(repo: GitRepoDocument, commit: string): GitRepoDocument | undefined {
  const spec = repo.spec ?? {};
  if (spec.revision === commit && !spec.branch) return undefined;
  const annotations = { ...(repo.metadata?.annotations ?? {}) };
  annotations[ANNOTATION.pinnedFromBranch] ??= spec.branch ?? '';
  const { branch: _cleared, ...rest } = spec;
  return { ...repo, metadata: { ...repo.metadata, annotations }, spec: { ...rest, revision: commit } };
}

/** The GitRepo following its branch again (from the annotation), or undefined when Fleetdeck did not pin it. */
export function unpinGitRepo(repo: GitRepoDocument): GitRepoDocument | undefined {
  const annotations = { ...(repo.metadata?.annotations ?? {}) };
  const branch = annotations[ANNOTATION.pinnedFromBranch];
  if (branch === undefined) return undefined;
  delete annotations[ANNOTATION.pinnedFromBranch];
  const { revision: _cleared, ...rest } = repo.spec ?? {};
  return { ...repo, metadata: { ...repo.metadata, annotations }, spec: { ...rest, ...(branch && { branch }) } };
}
