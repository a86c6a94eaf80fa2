// rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings, stored with upstream defaults and
// validation (pkg/apis/rbac/validation). Stored only: the lab's authorizer goes by groups, not by these objects.
import { isObject, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { type FieldError, fieldInvalid, fieldNotSupported, fieldRequired } from "../status.js";
import { defineType } from "./define.js";
import { nameErrors } from "./validation.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** ValidatePolicyRule. */
function ruleErrors(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  const r = isObject(rule) ? rule : {};
  const errors: FieldError[] = [];
  if (strings(r.verbs).length === 0)
    errors.push(fieldRequired(`${path}.verbs`, "verbs must contain at least one value"));
  const urls = strings(r.nonResourceURLs);
  if (urls.length) {
    if (namespaced)
      errors.push(
        fieldInvalid(`${path}.nonResourceURLs`, urls, "namespaced rules cannot apply to non-resource URLs"),
      );
    if (strings(r.apiGroups).length || strings(r.resources).length || strings(r.resourceNames).length)
      errors.push(
        fieldInvalid(
          `${path}.nonResourceURLs`,
          urls,
          "rules cannot apply to both regular resources and non-resource URLs",
        ),
      );
    return errors;
  }
  if (!Array.isArray(r.apiGroups) || r.apiGroups.length === 0)
    errors.push(fieldRequired(`${path}.apiGroups`, "resource rules must supply at least one api group"));
  if (strings(r.resources).length === 0)
    errors.push(fieldRequired(`${path}.resources`, "resource rules must supply at least one resource"));
  return errors;
}

const rulesErrors = (obj: KubeObject, namespaced: boolean): FieldError[] =>
  (Array.isArray(obj.rules) ? obj.rules : []).flatMap((r, i) => ruleErrors(r, namespaced, `rules[${i}]`));

/** SetDefaults_Subject and SetDefaults_*RoleBinding: API groups of User/Group subjects and of the roleRef. */
function defaultBinding(obj: KubeObject): void {
  if (isObject(obj.roleRef) && !obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
    if (!isObject(s) || s.apiGroup) continue;
    if (s.kind === "User" || s.kind === "Group") s.apiGroup = RBAC_GROUP;
    else if (s.kind === "ServiceAccount") s.apiGroup = "";
  }
}

/** ValidateRoleBindingSubject. */
function subjectErrors(subject: unknown, namespaced: boolean, path: string): FieldError[] {
  const s = (isObject(subject) ? subject : {}) as JsonObject;
  const name = typeof s.name === "string" ? s.name : "";
  const errors: FieldError[] = [];
  if (!name) errors.push(fieldRequired(`${path}.name`));
  switch (s.kind) {
    case "ServiceAccount":
      if (name) errors.push(...nameErrors(name, "subdomain", `${path}.name`));
      if (s.apiGroup) errors.push(fieldNotSupported(`${path}.apiGroup`, s.apiGroup, [""]));
      if (!namespaced && !s.namespace) errors.push(fieldRequired(`${path}.namespace`));
      break;
    case "User":
    case "Group":
      if (s.apiGroup !== RBAC_GROUP)
        errors.push(fieldNotSupported(`${path}.apiGroup`, s.apiGroup, [RBAC_GROUP]));
      break;
    default:
      errors.push(fieldNotSupported(`${path}.kind`, s.kind ?? "", ["ServiceAccount", "User", "Group"]));
  }
  return errors;
}

function bindingErrors(obj: KubeObject, namespaced: boolean, old: KubeObject | undefined): FieldError[] {
  const ref = (isObject(obj.roleRef) ? obj.roleRef : undefined) as JsonObject | undefined;
  const errors: FieldError[] = [];
  if (!ref) errors.push(fieldRequired("roleRef"));
  else {
    if (ref.apiGroup !== RBAC_GROUP)
      errors.push(fieldNotSupported("roleRef.apiGroup", ref.apiGroup, [RBAC_GROUP]));
    const kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
    if (!kinds.includes(String(ref.kind ?? "")))
      errors.push(fieldNotSupported("roleRef.kind", ref.kind ?? "", kinds));
    const name = typeof ref.name === "string" ? ref.name : "";
    if (!name) errors.push(fieldRequired("roleRef.name"));
    else errors.push(...nameErrors(name, "path", "roleRef.name"));
  }
  (Array.isArray(obj.subjects) ? obj.subjects : []).forEach((s, i) => {
    errors.push(...subjectErrors(s, namespaced, `subjects[${i}]`));
  });
  // ValidateRoleBindingUpdate: a binding's role is fixed; a new role means a new binding.
  if (old && !jsonEqual(old.roleRef, obj.roleRef))
    errors.push(fieldInvalid("roleRef", obj.roleRef ?? {}, "cannot change roleRef"));
  return errors;
}

export const rolesType = defineType({
  group: RBAC_GROUP,
  versions: ["v1"],
  resource: "roles",
  kind: "Role",
  nameRule: "path",
  validate: (obj) => rulesErrors(obj, true),
});

export const clusterRolesType = defineType({
  group: RBAC_GROUP,
  versions: ["v1"],
  resource: "clusterroles",
  kind: "ClusterRole",
  namespaced: false,
  nameRule: "path",
  validate(obj) {
    const errors = rulesErrors(obj, false);
    const agg = obj.aggregationRule;
    if (isObject(agg) && (!Array.isArray(agg.clusterRoleSelectors) || agg.clusterRoleSelectors.length === 0))
      errors.push(
        fieldRequired("aggregationRule.clusterRoleSelectors", "at least one clusterRoleSelector required"),
      );
    return errors;
  },
});

export const roleBindingsType = defineType({
  group: RBAC_GROUP,
  versions: ["v1"],
  resource: "rolebindings",
  kind: "RoleBinding",
  nameRule: "path",
  prepare: defaultBinding,
  validate: (obj, ctx) => bindingErrors(obj, true, ctx.old),
});

export const clusterRoleBindingsType = defineType({
  group: RBAC_GROUP,
  versions: ["v1"],
  resource: "clusterrolebindings",
  kind: "ClusterRoleBinding",
  namespaced: false,
  nameRule: "path",
  prepare: defaultBinding,
  validate: (obj, ctx) => bindingErrors(obj, false, ctx.old),
});
