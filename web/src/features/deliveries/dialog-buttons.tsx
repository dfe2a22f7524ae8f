/** Cancel, then the dialog's action. */
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
        className="rounded bg-teal-700 px-3 py-1.5 font-medium text-white hover:bg-teal-800 disabled:cursor-not-allowed disabled:bg-slate-400 disabled:text-slate-900"
      >
        {label}
      </button>
    </div>
  );
}

/** A refused or failed action inside its dialog: the problem's own words. */
export function DialogError({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-red-800 dark:text-red-300">
      {error.message}
    </p>
  );
}
