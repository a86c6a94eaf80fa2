// admissionregistration.k8s.io/v1 ValidatingWebhookConfigurations, with v1 defaults and validation. Stored only:
// the lab's API server never calls a webhook, so a configured webhook neither admits nor rejects anything here.
import { isObject, type JsonObject, type KubeObject } from "../meta.js";
import {
  type FieldError,
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
} from "../status.js";
import { defineType } from "./define.js";
import { nameErrors } from "./validation.js";

const FAILURE_POLICIES = ["Ignore", "Fail"];
const MATCH_POLICIES = ["Exact", "Equivalent"];
const SIDE_EFFECTS = ["None", "NoneOnDryRun"];
const REVIEW_VERSIONS = ["v1", "v1beta1"];

const hooksOf = (obj: KubeObject): JsonObject[] =>
  (Array.isArray(obj.webhooks) ? obj.webhooks : []).filter(isObject) as JsonObject[];

/** SetDefaults_ValidatingWebhook, SetDefaults_Rule and SetDefaults_ServiceReference. */
function defaultWebhook(hook: JsonObject): void {
  hook.failurePolicy ??= "Fail";
  hook.matchPolicy ??= "Equivalent";
  hook.namespaceSelector ??= {};
  hook.objectSelector ??= {};
  hook.timeoutSeconds ??= 10;
  for (const rule of Array.isArray(hook.rules) ? hook.rules : []) if (isObject(rule)) rule.scope ??= "*";
  const cc = isObject(hook.clientConfig) ? hook.clientConfig : undefined;
  if (cc && isObject(cc.service)) cc.service.port ??= 443;
}

function clientConfigErrors(cc: unknown, path: string): FieldError[] {
  const c = isObject(cc) ? cc : {};
  if ((c.url === undefined) === (c.service === undefined))
    return [fieldRequired(path, "exactly one of url or service is required")];
  if (!isObject(c.service)) return [];
  const s = c.service;
  const errors: FieldError[] = [];
  if (!s.name) errors.push(fieldRequired(`${path}.service.name`));
  if (!s.namespace) errors.push(fieldRequired(`${path}.service.namespace`));
  if (typeof s.port === "number" && (s.port < 1 || s.port > 65535))
    errors.push(
      fieldInvalid(`${path}.service.port`, s.port, "port is not valid: must be between 1 and 65535"),
    );
  if (typeof s.path === "string" && !s.path.startsWith("/"))
    errors.push(fieldInvalid(`${path}.service.path`, s.path, "must start with a '/'"));
  return errors;
}

/** validateValidatingWebhook, as a v1 request is checked. */
function webhookErrors(hook: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof hook.name === "string" ? hook.name : "";
  if (!name) errors.push(fieldRequired(`${path}.name`));
  else {
    // IsFullyQualifiedName: the subdomain rule first, the three segments only for a valid subdomain.
    const invalidName = nameErrors(name.replace(/\.$/, ""), "subdomain", `${path}.name`);
    errors.push(...invalidName);
    if (invalidName.length === 0 && name.replace(/\.$/, "").split(".").length < 3)
      errors.push(
        fieldInvalid(
          `${path}.name`,
          name,
          "should be a domain with at least three segments separated by dots",
        ),
      );
  }
  if (!FAILURE_POLICIES.includes(String(hook.failurePolicy)))
    errors.push(fieldNotSupported(`${path}.failurePolicy`, hook.failurePolicy, FAILURE_POLICIES));
  if (!MATCH_POLICIES.includes(String(hook.matchPolicy)))
    errors.push(fieldNotSupported(`${path}.matchPolicy`, hook.matchPolicy, MATCH_POLICIES));
  if (hook.sideEffects === undefined)
    errors.push(fieldRequired(`${path}.sideEffects`, `must specify one of ${SIDE_EFFECTS.join(", ")}`));
  else if (!SIDE_EFFECTS.includes(String(hook.sideEffects)))
    errors.push(fieldNotSupported(`${path}.sideEffects`, hook.sideEffects, SIDE_EFFECTS));
  const timeout = hook.timeoutSeconds;
  if (typeof timeout !== "number" || timeout < 1 || timeout > 30)
    errors.push(
      fieldInvalid(`${path}.timeoutSeconds`, timeout, "the timeout value must be between 1 and 30 seconds"),
    );
  const versions = Array.isArray(hook.admissionReviewVersions) ? hook.admissionReviewVersions : [];
  if (versions.length === 0)
    errors.push(
      fieldRequired(`${path}.admissionReviewVersions`, `must specify one of ${REVIEW_VERSIONS.join(", ")}`),
    );
  else if (!versions.some((v) => REVIEW_VERSIONS.includes(String(v))))
    errors.push(
      fieldInvalid(
        `${path}.admissionReviewVersions`,
        versions,
        `must include at least one of ${REVIEW_VERSIONS.join(", ")}`,
      ),
    );
  errors.push(...clientConfigErrors(hook.clientConfig, `${path}.clientConfig`));
  return errors;
}

export const validatingWebhookConfigurationsType = defineType({
  group: "admissionregistration.k8s.io",
  versions: ["v1"],
  resource: "validatingwebhookconfigurations",
  kind: "ValidatingWebhookConfiguration",
  namespaced: false,
  generation: true,
  prepare(obj) {
    for (const hook of hooksOf(obj)) defaultWebhook(hook);
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    hooksOf(obj).forEach((hook, i) => {
      errors.push(...webhookErrors(hook, `webhooks[${i}]`));
      const name = String(hook.name ?? "");
      if (name && seen.has(name)) errors.push(fieldDuplicate(`webhooks[${i}].name`, name));
      seen.add(name);
    });
    return errors;
  },
});
