// Object metadata validation shared by every kind: names, labels, annotations (apimachinery validation messages).
import type { KubeObject } from "../meta.js";
import { type FieldError, fieldForbidden, fieldInvalid, fieldRequired } from "../status.js";
import type { ResourceType } from "./types.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

export function nameErrors(
  name: string,
  rule: ResourceType["nameRule"],
  field = "metadata.name",
): FieldError[] {
  switch (rule) {
    case "label":
      if (name.length > 63) return [fieldInvalid(field, name, "must be no more than 63 characters")];
      return DNS1123_LABEL.test(name) ? [] : [fieldInvalid(field, name, LABEL_MSG)];
    case "dns1035":
      if (name.length > 63) return [fieldInvalid(field, name, "must be no more than 63 characters")];
      return DNS1035_LABEL.test(name) ? [] : [fieldInvalid(field, name, DNS1035_MSG)];
    case "subdomain":
      if (name.length > 253) return [fieldInvalid(field, name, "must be no more than 253 characters")];
      return DNS1123_SUBDOMAIN.test(name) ? [] : [fieldInvalid(field, name, SUBDOMAIN_MSG)];
    case "path":
      if (name === "." || name === "..") return [fieldInvalid(field, name, `may not be '${name}'`)];
      return /[/%]/.test(name) ? [fieldInvalid(field, name, "may not contain '/' or '%'")] : [];
  }
}

function qualifiedNameErrors(key: string, field: string): FieldError[] {
  const slash = key.indexOf("/");
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : ["", key];
  const errors: FieldError[] = [];
  if (slash >= 0 && !DNS1123_SUBDOMAIN.test(prefix)) {
    errors.push(fieldInvalid(field, key, `prefix part ${SUBDOMAIN_MSG}`));
  }
  if (!name || name.length > 63 || !QUALIFIED_NAME.test(name))
    errors.push(fieldInvalid(field, key, QUALIFIED_MSG));
  return errors;
}

export function labelErrors(
  labels: Record<string, string> | undefined,
  field = "metadata.labels",
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errors.push(...qualifiedNameErrors(k, field));
    if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) {
      errors.push(fieldInvalid(field, v, LABEL_VALUE_MSG));
    }
  }
  return errors;
}

/** ValidateObjectMeta: name (or generateName), namespace presence by scope, labels, annotation keys. */
export function metadataErrors(obj: KubeObject, type: ResourceType): FieldError[] {
  const meta = obj.metadata;
  const errors: FieldError[] = [];
  if (!meta.name) errors.push(fieldRequired("metadata.name", "name or generateName is required"));
  else errors.push(...nameErrors(meta.name, type.nameRule));
  if (type.namespaced && !meta.namespace) errors.push(fieldRequired("metadata.namespace"));
  if (!type.namespaced && meta.namespace)
    errors.push(fieldForbidden("metadata.namespace", "not allowed on this type"));
  errors.push(...labelErrors(meta.labels));
  for (const k of Object.keys(meta.annotations ?? {}))
    errors.push(...qualifiedNameErrors(k, "metadata.annotations"));
  return errors;
}

/** ValidateObjectMetaUpdate: identity fields cannot change. */
export function metadataUpdateErrors(obj: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (obj.metadata.uid !== old.metadata.uid) {
    errors.push(fieldInvalid("metadata.uid", obj.metadata.uid ?? "", "field is immutable"));
  }
  if (obj.metadata.creationTimestamp !== old.metadata.creationTimestamp) {
    errors.push(
      fieldInvalid("metadata.creationTimestamp", obj.metadata.creationTimestamp ?? "", "field is immutable"),
    );
  }
  return errors;
}
