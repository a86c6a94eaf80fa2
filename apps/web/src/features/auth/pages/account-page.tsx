// Route /account: who is signed in, and the password change (which ends every other session of the user).
import { MIN_PASSWORD_LENGTH, type SessionInfo } from "@k3s-ha/shared";
import { type FormEvent, useState } from "react";
import {
  Card,
  CardTitle,
  FormAlert,
  formInputClass,
  Mono,
  PageHeader,
  primaryButtonClass,
} from "../../../components/ui";
import { isApiError } from "../../../lib/api";
import { useChangePassword } from "../queries";

function changeError(error: unknown): string {
  if (isApiError(error, "WRONG_PASSWORD")) return "The current password is wrong.";
  if (isApiError(error, "RATE_LIMITED")) return `Too many attempts. ${error.message}`;
  if (isApiError(error)) return error.message;
  return "The password was not changed.";
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  autoComplete: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="text-sm font-medium">
        {props.label}
      </label>
      <input
        id={props.id}
        type="password"
        required
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={formInputClass}
      />
    </div>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next.length < MIN_PASSWORD_LENGTH)
      return setProblem(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (next !== repeat) return setProblem("The two new passwords differ.");
    setProblem(null);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          setRepeat("");
        },
      },
    );
  };

  const message = problem ?? (change.isError ? changeError(change.error) : null);
  return (
    <form onSubmit={submit} className="max-w-sm space-y-4 p-4">
      {message && <FormAlert>{message}</FormAlert>}
      {change.isSuccess && !message && (
        <p
          role="status"
          className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200"
        >
          Password changed. Every other session of this user has been signed out.
        </p>
      )}
      <Field
        id="current-password"
        label="Current password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
      />
      <Field
        id="new-password"
        label={`New password (at least ${MIN_PASSWORD_LENGTH} characters)`}
        value={next}
        onChange={setNext}
        autoComplete="new-password"
      />
      <Field
        id="repeat-password"
        label="New password again"
        value={repeat}
        onChange={setRepeat}
        autoComplete="new-password"
      />
      <button type="submit" disabled={change.isPending} className={primaryButtonClass}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}

export function AccountPage({ session }: { session: SessionInfo }) {
  return (
    <>
      <PageHeader title="Account">
        Signed in as <Mono>{session.user}</Mono>. A session lasts 12 hours; signing out here ends it
        everywhere it is open.
      </PageHeader>
      <Card>
        <CardTitle>Password</CardTitle>
        {session.passwordManaged ? (
          <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
            This password is set by <Mono>K3S_HA_ADMIN_PASSWORD</Mono> where the console runs. Change it there
            and restart the console: every session of this user then ends.
          </p>
        ) : (
          <PasswordForm />
        )}
      </Card>
    </>
  );
}
