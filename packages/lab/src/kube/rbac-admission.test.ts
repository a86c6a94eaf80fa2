// RBAC kinds and ValidatingWebhookConfigurations as metallb-native.yaml applies them: create with upstream
// defaults and validation, server-side apply, dryRun, delete, discovery, and kubectl apply of a manifest of them.
import {
  AdmissionregistrationV1Api,
  RbacAuthorizationV1Api,
  type V1ClusterRole,
  type V1ValidatingWebhookConfiguration,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectl, rawRequest, rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let rbac: RbacAuthorizationV1Api;
let admission: AdmissionregistrationV1Api;
const req = (options: Parameters<typeof rawRequest>[2]) =>
  rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, options);
const applyHeaders = { "content-type": "application/apply-patch+yaml" };

const controllerRole: V1ClusterRole = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name: "metallb-system:controller", labels: { app: "metallb" } },
  rules: [
    { apiGroups: [""], resources: ["services", "namespaces"], verbs: ["get", "list", "watch"] },
    { apiGroups: [""], resources: ["services/status"], verbs: ["update"] },
  ],
};

const webhookConfig = (paths: string[]): V1ValidatingWebhookConfiguration => ({
  apiVersion: "admissionregistration.k8s.io/v1",
  kind: "ValidatingWebhookConfiguration",
  metadata: { name: "metallb-webhook-configuration" },
  webhooks: paths.map((p) => ({
    name: `${p}validationwebhook.metallb.io`,
    admissionReviewVersions: ["v1"],
    clientConfig: {
      service: {
        name: "metallb-webhook-service",
        namespace: "metallb-system",
        path: `/validate-metallb-io-v1beta1-${p}`,
      },
    },
    failurePolicy: "Fail",
    rules: [
      {
        apiGroups: ["metallb.io"],
        apiVersions: ["v1beta1"],
        operations: ["CREATE", "UPDATE"],
        resources: [`${p}s`],
      },
    ],
    sideEffects: "None",
  })),
});

beforeAll(async () => {
  cluster = await startCluster(1);
  rbac = cluster.kc(0).makeApiClient(RbacAuthorizationV1Api);
  admission = cluster.kc(0).makeApiClient(AdmissionregistrationV1Api);
});
afterAll(() => cluster.stop());

describe("RBAC kinds", () => {
  it("creates a ClusterRole whose name has a colon, server-side applies it, and dryRun leaves nothing", async () => {
    const dry = await rbac.createClusterRole({ body: controllerRole, dryRun: "All" });
    expect(dry.metadata?.uid).toBeTruthy();
    expect(
      (await req({ path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/metallb-system:controller" }))
        .status,
    ).toBe(404);
    const created = await rbac.createClusterRole({ body: controllerRole });
    expect(created.metadata?.name).toBe("metallb-system:controller");
    expect(created.metadata?.namespace).toBeUndefined();
    const applied = await req({
      method: "PATCH",
      path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/metallb-system:controller?fieldManager=setup&force=true",
      body: JSON.stringify({
        ...controllerRole,
        rules: [{ apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] }],
      }),
      headers: applyHeaders,
    });
    expect(applied.status).toBe(200);
    expect((applied.json() as V1ClusterRole).rules).toEqual([
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ]);
    const list = await rbac.listClusterRole({ labelSelector: "app=metallb" });
    expect(list.items.map((r) => r.metadata?.name)).toEqual(["metallb-system:controller"]);
    const deleted = await req({
      method: "DELETE",
      path: "/apis/rbac.authorization.k8s.io/v1/clusterroles/metallb-system:controller",
    });
    expect(deleted.json()).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { kind: "clusterroles" },
    });
  });

  it("rejects a rule without verbs or API groups with the apiserver's messages", async () => {
    const err = await rejection(
      rbac.createNamespacedRole({
        namespace: "default",
        body: { metadata: { name: "bad" }, rules: [{ resources: ["pods"], verbs: [] }] },
      }),
    );
    expect(statusOf(err)).toMatchObject({
      code: 422,
      reason: "Invalid",
      message:
        'Role.rbac.authorization.k8s.io "bad" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, rules[0].apiGroups: Required value: resource rules must supply at least one api group]',
    });
  });

  it("defaults binding API groups, requires a ServiceAccount's namespace in a ClusterRoleBinding, and keeps roleRef fixed", async () => {
    const binding = await rbac.createNamespacedRoleBinding({
      namespace: "default",
      body: {
        metadata: { name: "controller" },
        roleRef: { kind: "Role", name: "controller" } as { apiGroup: string; kind: string; name: string },
        subjects: [
          { kind: "ServiceAccount", name: "controller", namespace: "default" },
          { kind: "User", name: "alice" },
        ],
      },
    });
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "controller",
    });
    expect(binding.subjects?.map((s) => s.apiGroup)).toEqual(["", "rbac.authorization.k8s.io"]);
    const changed = await rejection(
      rbac.replaceNamespacedRoleBinding({
        name: "controller",
        namespace: "default",
        body: { ...binding, roleRef: { ...binding.roleRef, kind: "ClusterRole" } },
      }),
    );
    expect(statusOf(changed).message).toContain("roleRef: Invalid value:");
    expect(statusOf(changed).message).toContain("cannot change roleRef");
    const noNamespace = await rejection(
      rbac.createClusterRoleBinding({
        body: {
          metadata: { name: "metallb-system:controller" },
          roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "ClusterRole",
            name: "metallb-system:controller",
          },
          subjects: [{ kind: "ServiceAccount", name: "controller" }],
        },
      }),
    );
    expect(statusOf(noNamespace).message).toBe(
      'ClusterRoleBinding.rbac.authorization.k8s.io "metallb-system:controller" is invalid: subjects[0].namespace: Required value',
    );
  });
});

describe("ValidatingWebhookConfiguration", () => {
  it("stores it with the v1 defaults, merges webhooks by name on apply, and bumps the generation", async () => {
    const path =
      "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/metallb-webhook-configuration";
    const first = await req({
      method: "PATCH",
      path: `${path}?fieldManager=setup`,
      body: JSON.stringify(webhookConfig(["ipaddresspool"])),
      headers: applyHeaders,
    });
    expect(first.status, first.text).toBe(201);
    const created = first.json() as V1ValidatingWebhookConfiguration;
    expect(created.metadata?.generation).toBe(1);
    expect(created.webhooks?.[0]).toMatchObject({
      matchPolicy: "Equivalent",
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      clientConfig: { service: { port: 443 } },
      rules: [{ scope: "*" }],
    });
    const dry = await req({
      method: "PATCH",
      path: `${path}?fieldManager=setup&dryRun=All`,
      body: JSON.stringify(webhookConfig(["ipaddresspool", "bgppeer"])),
      headers: applyHeaders,
    });
    expect(dry.status, dry.text).toBe(200);
    expect((dry.json() as V1ValidatingWebhookConfiguration).webhooks).toHaveLength(2);
    expect(
      (await admission.readValidatingWebhookConfiguration({ name: "metallb-webhook-configuration" }))
        .webhooks,
    ).toHaveLength(1);
    // The MetalLB controller patches its CA into each webhook: a strategic merge keyed by webhook name.
    const patched = await req({
      method: "PATCH",
      path,
      body: JSON.stringify({
        webhooks: [{ name: "ipaddresspoolvalidationwebhook.metallb.io", clientConfig: { caBundle: "Cg==" } }],
      }),
      headers: { "content-type": "application/strategic-merge-patch+json" },
    });
    const hook = (patched.json() as V1ValidatingWebhookConfiguration).webhooks?.[0];
    expect(hook?.clientConfig.caBundle).toBe("Cg==");
    expect(hook?.clientConfig.service?.name).toBe("metallb-webhook-service");
    expect(hook?.sideEffects).toBe("None");
    expect((patched.json() as V1ValidatingWebhookConfiguration).metadata?.generation).toBe(2);
  });

  it("rejects a webhook without sideEffects or with a two-segment name", async () => {
    const body = webhookConfig(["community"]);
    const hook = body.webhooks?.[0];
    if (!hook) throw new Error("no webhook");
    const err = await rejection(
      admission.createValidatingWebhookConfiguration({
        body: {
          ...body,
          metadata: { name: "bad" },
          webhooks: [{ ...hook, name: "community.metallb", sideEffects: undefined as unknown as string }],
        },
      }),
    );
    expect(statusOf(err).message).toBe(
      'ValidatingWebhookConfiguration.admissionregistration.k8s.io "bad" is invalid: [webhooks[0].name: Invalid value: "community.metallb": should be a domain with at least three segments separated by dots, webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun]',
    );
  });
});

describe("discovery", () => {
  it("lists the RBAC and admission groups with their scopes", async () => {
    const groups = (await req({ path: "/apis" })).json() as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining(["rbac.authorization.k8s.io", "admissionregistration.k8s.io"]),
    );
    const list = (await req({ path: "/apis/rbac.authorization.k8s.io/v1" })).json() as {
      resources: Array<{ name: string; namespaced: boolean; kind: string; verbs: string[] }>;
    };
    expect(list.resources.map((r) => [r.name, r.namespaced, r.kind])).toEqual([
      ["roles", true, "Role"],
      ["clusterroles", false, "ClusterRole"],
      ["rolebindings", true, "RoleBinding"],
      ["clusterrolebindings", false, "ClusterRoleBinding"],
    ]);
    expect(list.resources[0]?.verbs).toEqual(
      expect.arrayContaining(["create", "patch", "watch", "deletecollection"]),
    );
    const agg = (
      await req({
        path: "/apis",
        headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList" },
      })
    ).json() as {
      items: Array<{
        metadata: { name: string };
        versions: Array<{ resources: Array<{ resource: string; scope: string }> }>;
      }>;
    };
    const webhooks = agg.items.find((i) => i.metadata.name === "admissionregistration.k8s.io");
    expect(webhooks?.versions[0]?.resources).toEqual([
      expect.objectContaining({ resource: "validatingwebhookconfigurations", scope: "Cluster" }),
    ]);
  });

  it("lets kubectl apply --server-side a manifest of these kinds and print bindings wide", async () => {
    const kc = cluster.kubeconfig(0);
    const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: metallb-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: controller
  namespace: metallb-system
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [create, delete, get, list, patch, update, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: controller
  namespace: metallb-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: controller
subjects:
- kind: ServiceAccount
  name: controller
  namespace: metallb-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: metallb-system:speaker
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: metallb-system:speaker
subjects:
- kind: ServiceAccount
  name: speaker
  namespace: metallb-system
`;
    const applied = await kubectl(kc, ["apply", "--server-side", "-f", "-"], { input: manifest });
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toBe(
      [
        "namespace/metallb-system serverside-applied",
        "role.rbac.authorization.k8s.io/controller serverside-applied",
        "rolebinding.rbac.authorization.k8s.io/controller serverside-applied",
        "clusterrolebinding.rbac.authorization.k8s.io/metallb-system:speaker serverside-applied",
        "",
      ].join("\n"),
    );
    const wide = await kubectl(kc, ["get", "clusterrolebinding", "metallb-system:speaker", "-o", "wide"]);
    expect(wide.stdout.split("\n")[0]?.split(/\s+/)).toEqual([
      "NAME",
      "ROLE",
      "AGE",
      "USERS",
      "GROUPS",
      "SERVICEACCOUNTS",
    ]);
    expect(wide.stdout).toContain("ClusterRole/metallb-system:speaker");
    expect(wide.stdout).toContain("metallb-system/speaker");
  });
});
