// Who is asking (client certificate from the lab CA, or bearer token) and what they may do: admin, read-only, nothing.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { RequestInfo } from "./request-info.js";

export interface UserInfo {
  name: string;
  groups: string[];
}

export interface AuthOptions {
  /** Bearer tokens: token → user (k3s's token file, in a map). */
  tokens?: Record<string, { user: string; groups?: string[] }>;
  /** Groups allowed everything (default: system:masters, system:nodes). */
  adminGroups?: string[];
  adminUsers?: string[];
  /** Groups allowed get/list/watch only (default: view). */
  viewGroups?: string[];
}

const READ_VERBS = new Set(["get", "list", "watch"]);

function certificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== "function" || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const subject = cert?.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  const cn = subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = subject?.O;
  return { name, groups: o === undefined ? [] : Array.isArray(o) ? o : [o] };
}

/** The request's user, or undefined (401). An invalid bearer token fails even when a certificate would pass. */
export function authenticate(req: IncomingMessage, options: AuthOptions): UserInfo | undefined {
  const header = req.headers.authorization;
  let user: UserInfo | undefined;
  if (header?.startsWith("Bearer ")) {
    const entry = options.tokens?.[header.slice(7).trim()];
    if (!entry) return undefined;
    user = { name: entry.user, groups: entry.groups ?? [] };
  } else user = certificateUser(req);
  if (!user) return undefined;
  return { name: user.name, groups: [...user.groups, "system:authenticated"] };
}

export function authorize(user: UserInfo, info: RequestInfo, options: AuthOptions): boolean {
  const admins = options.adminGroups ?? ["system:masters", "system:nodes"];
  if (user.groups.some((g) => admins.includes(g)) || options.adminUsers?.includes(user.name)) return true;
  // system:discovery and system:public-info-viewer: every authenticated user may read discovery and /version.
  if (!info.isResource) return info.verb === "get" || info.verb === "head";
  const viewers = options.viewGroups ?? ["view"];
  return user.groups.some((g) => viewers.includes(g)) && READ_VERBS.has(info.verb);
}

/** The forbidden message the RBAC authorizer's denial produces (forbiddenMessage in apiserver/endpoints). */
export function forbiddenReason(user: UserInfo, info: RequestInfo): string {
  if (!info.isResource) return `User "${user.name}" cannot ${info.verb} path "${info.path}"`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : (info.resource ?? "");
  const where = info.namespace ? `in the namespace "${info.namespace}"` : "at the cluster scope";
  return `User "${user.name}" cannot ${info.verb} resource "${resource}" in API group "${info.group}" ${where}`;
}
