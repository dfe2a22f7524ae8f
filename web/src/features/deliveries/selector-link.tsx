import { Link } from '@tanstack/react-router';

import { paths } from '../../config/paths.ts';

/** A selector in our syntax, opening the Fleet page filtered by it (an empty one: every cluster, no filter). */
export function SelectorLink({ selector }: { selector: string }) {
  return (
    <Link
      to={paths.fleet}
      search={selector ? { selector } : {}}
      className="font-mono text-teal-800 hover:underline dark:text-teal-300"
      title="Open the Fleet page with this selector"
    >
      {selector || '(every cluster)'}
    </Link>
  );
}
