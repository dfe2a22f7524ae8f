import { TONE_TEXT, type StateLook } from './rollout-states.ts';

/** A state by icon and text as well as colour, so it reads without colour vision. */
export function StateLabel({ look, className = '' }: { look: StateLook; className?: string }) {
  const { icon: Icon, text, tone } = look;
  return (
    <span className={`inline-flex items-center gap-1 font-medium ${TONE_TEXT[tone]} ${className}`}>
      <Icon aria-hidden className="size-4 shrink-0" />
      {text}
    </span>
  );
}
