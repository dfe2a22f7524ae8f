import { useNavigate } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

/**
 * A link to an app path the BFF built (evidence, inbox items: a path with its query):
 * a real `<a href>` (open in a new tab, copy the link), followed inside the SPA on a plain click.
 */
export function AppLink({
  href,
  className,
  onFollow,
  children,
}: {
  href: string;
  className?: string;
  /** Called on any activation (a menu closes itself). */
  onFollow?: () => void;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    onFollow?.();
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    void navigate({ href });
  };
  return (
    <a href={href} onClick={onClick} className={className}>
      {children}
    </a>
  );
}
