import { useEffect, useRef, useState } from 'react';

/**
 * A button whose action asks first: a click shows the question with a
 * confirm and a keep button (focus moves to the question, Escape backs out),
 * so replaying, discarding or cancelling is never one stray click.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  danger,
  children,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
  danger?: boolean;
  children?: React.ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const questionRef = useRef<HTMLDivElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) questionRef.current?.focus();
  }, [asking]);

  const close = (): void => {
    setAsking(false);
    setTimeout(() => openerRef.current?.focus());
  };
  const confirm = async (): Promise<void> => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  if (!asking) {
    return (
      <button ref={openerRef} type="button" className={danger ? 'danger' : undefined} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div
      ref={questionRef}
      className="confirm"
      role="group"
      aria-label={question}
      tabIndex={-1}
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      <p>{question}</p>
      {children}
      <div className="button-row">
        <button type="button" className={danger ? 'danger' : undefined} disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={close}>
          Keep it
        </button>
      </div>
    </div>
  );
}
