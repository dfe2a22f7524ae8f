import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';

import { tryParseSelector, type ParsedSelector } from './select.ts';

const route = getRouteApi('/app/fleet');

/** How long typing must pause before the URL follows the selector. */
export const URL_DELAY_MS = 250;

export interface SelectorUrl {
  /** The text being typed (may be invalid, so it can be shown and fixed). */
  draft: string;
  parsed: ParsedSelector;
  setDraft: (text: string) => void;
  /** Adds a term (a facet's) to the selector with AND. */
  addTerm: (term: string) => void;
}

/**
 * The cluster selector, kept in the URL (`?selector=`) so a view can be shared by link.
 * The text being typed is separate from the URL: the table follows every keystroke at
 * once; the URL (and the router's work) follows when typing pauses, and only for a
 * valid selector, so a keystroke never waits on navigation. A URL that changes under
 * us (back/forward, a shared link) replaces the text.
 */
export function useSelectorUrl(): SelectorUrl {
  const { selector: selectorText = '' } = route.useSearch();
  const navigate = route.useNavigate();
  const [draft, setDraftState] = useState(selectorText);
  const [urlSelector, setUrlSelector] = useState(selectorText);
  if (selectorText !== urlSelector) {
    setUrlSelector(selectorText);
    setDraftState(selectorText);
  }
  const parsed = useMemo(() => tryParseSelector(draft), [draft]);

  const urlTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Leaving the page within the pause must not navigate back to it.
  useEffect(() => () => clearTimeout(urlTimer.current), []);
  const setDraft = (text: string) => {
    setDraftState(text);
    clearTimeout(urlTimer.current);
    if (!tryParseSelector(text).ok) return;
    urlTimer.current = setTimeout(() => {
      setUrlSelector(text);
      void navigate({ search: (prev) => ({ ...prev, selector: text || undefined }), replace: true });
    }, URL_DELAY_MS);
  };
  const addTerm = (term: string) => setDraft(draft.trim() ? `${draft.trim()}, ${term}` : term);
  return { draft, parsed, setDraft, addTerm };
}
