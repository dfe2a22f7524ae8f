import { useId, useState, type ReactNode } from 'react';

/**
 * The body of a dangerous action's dialog: what it will do, then the rollout's name
 * typed exactly to enable the button (the BFF checks the same text again).
 */
export function TypedNameForm({
  name,
  action,
  pending,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  name: string;
  action: string;
  pending: boolean;
  error: Error | null;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const [typed, setTyped] = useState('');
  const id = useId();
  const matches = typed === name;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (matches && !pending) onConfirm(typed);
      }}
      className="space-y-3 text-sm"
    >
      {children}
      <div>
        <label htmlFor={id} className="block font-medium">
          Type the rollout&apos;s name, <code className="font-mono">{name}</code>, to confirm
        </label>
        <input
          id={id}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-600 dark:bg-slate-950"
        />
      </div>
      {error && (
        <p role="alert" className="text-red-800 dark:text-red-300">
          {error.message}
        </p>
      )}
      <DialogButtons label={pending ? `${action}…` : action} disabled={!matches || pending} onCancel={onCancel} />
    </form>
  );
}

/** Cancel, then the dialog's action (red: these cannot be undone from here). */
export function DialogButtons({ label, disabled, onCancel }: { label: string; disabled: boolean; onCancel: () => void }) {
  return (
    <div className="flex justify-end gap-2 pt-1">
      <button
        type="button"
        onClick={onCancel}
        className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
      >
        Cancel
      </button>
      <button
        type="submit"
        disabled={disabled}
        className="rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-400 disabled:text-slate-900"
      >
        {label}
      </button>
    </div>
  );
}
