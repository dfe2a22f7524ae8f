/** Git commits are shown short (as git does); the full one is on hover. */
export const shortCommit = (commit: string): string => (/^[0-9a-f]{12,}$/i.test(commit) ? commit.slice(0, 7) : commit);

export function Commit({ commit }: { commit: string | undefined }) {
  if (!commit) return <span className="text-slate-600 dark:text-slate-400">—</span>;
  return (
    <code title={commit} data-commit={commit} className="font-mono text-xs">
      {shortCommit(commit)}
    </code>
  );
}
