// Status errors shaped as the apiserver shapes them (apimachinery pkg/api/errors and util/validation/field).

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? `status ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
}

export interface GroupResource {
  group: string;
  resource: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export const qualifiedResource = (gr: GroupResource): string =>
  gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
export const qualifiedKind = (gk: GroupKind): string => (gk.group ? `${gk.kind}.${gk.group}` : gk.kind);

/** Drops empty fields as Go's omitempty does. */
function compact(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (details.name) out.name = details.name;
  if (details.group) out.group = details.group;
  if (details.kind) out.kind = details.kind;
  if (details.uid) out.uid = details.uid;
  if (details.causes?.length) out.causes = details.causes;
  if (details.retryAfterSeconds) out.retryAfterSeconds = details.retryAfterSeconds;
  return out;
}

export function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  return new StatusError({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details: compact(details) } : {}),
    code,
  });
}

export function success(code: number, details?: StatusDetails): Status {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    ...(details ? { details: compact(details) } : {}),
    code,
  };
}

const resourceDetails = (gr: GroupResource, name?: string): StatusDetails => ({
  ...(name ? { name } : {}),
  group: gr.group,
  kind: gr.resource,
});

export const notFound = (gr: GroupResource, name: string) =>
  failure(404, "NotFound", `${qualifiedResource(gr)} "${name}" not found`, resourceDetails(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  failure(
    409,
    "AlreadyExists",
    `${qualifiedResource(gr)} "${name}" already exists`,
    resourceDetails(gr, name),
  );

export const conflict = (gr: GroupResource, name: string, why: string) =>
  failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    resourceDetails(gr, name),
  );

export const MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";

export const badRequest = (message: string) => failure(400, "BadRequest", message);

export const methodNotAllowed = () =>
  failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {});

export const notFoundGeneric = () =>
  failure(404, "NotFound", "the server could not find the requested resource", {});

export const unauthorized = () => failure(401, "Unauthorized", "Unauthorized");

export const forbidden = (gr: GroupResource | undefined, name: string, why: string) => {
  const message = !gr?.resource
    ? `forbidden: ${why}`
    : name
      ? `${qualifiedResource(gr)} "${name}" is forbidden: ${why}`
      : `${qualifiedResource(gr)} is forbidden: ${why}`;
  return failure(403, "Forbidden", message, gr?.resource ? resourceDetails(gr, name) : {});
};

export const expired = (message: string) => failure(410, "Expired", message);

export const tooManyRequests = (message: string, retryAfterSeconds: number, causes?: StatusCause[]) =>
  failure(429, "TooManyRequests", message, { retryAfterSeconds, ...(causes ? { causes } : {}) });

export const unsupportedMediaType = (accepted: readonly string[]) =>
  failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );

export const internalError = (message: string) =>
  failure(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] });

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ----

export type FieldErrorType =
  | "FieldValueRequired"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueDuplicate"
  | "FieldValueForbidden"
  | "FieldValueTypeInvalid"
  | "FieldValueTooLong";

export interface FieldError {
  type: FieldErrorType;
  field: string;
  /** The text after the field: "Required value", "Invalid value: \"x\": detail"… */
  body: string;
}

/** Go's %v/%q rendering of a value in field errors, close enough for JSON values. */
export function renderValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "null";
  return JSON.stringify(value);
}

const withDetail = (head: string, detail?: string) => (detail ? `${head}: ${detail}` : head);

export const fieldRequired = (field: string, detail?: string): FieldError => ({
  type: "FieldValueRequired",
  field,
  body: withDetail("Required value", detail),
});

export const fieldInvalid = (field: string, value: unknown, detail?: string): FieldError => ({
  type: "FieldValueInvalid",
  field,
  body: withDetail(`Invalid value: ${renderValue(value)}`, detail),
});

export const fieldTypeInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: "FieldValueTypeInvalid",
  field,
  body: `Invalid value: ${renderValue(value)}: ${detail}`,
});

export const fieldNotSupported = (
  field: string,
  value: unknown,
  supported: readonly string[],
): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  body: withDetail(
    `Unsupported value: ${renderValue(value)}`,
    supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}` : undefined,
  ),
});

export const fieldDuplicate = (field: string, value: unknown): FieldError => ({
  type: "FieldValueDuplicate",
  field,
  body: `Duplicate value: ${renderValue(value)}`,
});

export const fieldForbidden = (field: string, detail: string): FieldError => ({
  type: "FieldValueForbidden",
  field,
  body: withDetail("Forbidden", detail),
});

/** 422 Invalid: `Kind.group "name" is invalid: <aggregate>` with one cause per field error. */
export function invalid(gk: GroupKind, name: string, errors: readonly FieldError[]): StatusError {
  const texts = errors.map((e) => (e.field ? `${e.field}: ${e.body}` : e.body));
  const aggregate = texts.length === 1 ? (texts[0] ?? "") : `[${texts.join(", ")}]`;
  return failure(422, "Invalid", `${qualifiedKind(gk)} "${name}" is invalid: ${aggregate}`, {
    name,
    group: gk.group,
    kind: gk.kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.body, field: e.field })),
  });
}
