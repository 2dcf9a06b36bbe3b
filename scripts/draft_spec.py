"""Draft the pinned OpenAPI document from the reference facts inventory.

This is a drafting aid, not part of the regeneration pipeline: the published Swagger document
cannot be reached from our machines, so the first pinned copy of ``openapi/spheron-api.yaml``
was drafted by this script from ``shared/reference/spheron-api-inventory.yaml`` (facts:
paths, names, types), ``ERRATA.md`` (applied below, marked ``ERRATA n``) and our own wording in
``scripts/spec_wording.yaml``. After drafting, the YAML is the source of truth; re-run this only
to redo the draft deliberately, then review the diff.

Usage: python -m scripts.draft_spec [--inventory PATH] [--out openapi/spheron-api.yaml]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

DOC_VERSION = "1.0.0"
REF = "#/components/schemas/"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INVENTORY = ROOT.parent / "shared" / "reference" / "spheron-api-inventory.yaml"

ERROR_RESPONSES = {
    "400": ("BadRequest", "The request was malformed or failed validation."),
    "401": ("Unauthorized", "No bearer token was sent."),
    "403": (
        "Forbidden",
        "Authentication failed: the token is invalid, expired, or not scoped to this "
        "organization. The API answers failed authentication with 403.",
    ),
    "404": ("NotFound", "The resource does not exist or is not visible to this token."),
    "429": ("TooManyRequests", "Rate limited; retry after the delay in Retry-After."),
    "500": ("InternalServerError", "The server failed to handle the request."),
}

# ERRATA 5: open sets, documented values but any string accepted.
OPEN_ENUM_FIELDS = {("StartDeploymentConfiguration", "framework"), ("addProjectDomain", "type")}
# ERRATA 10: topupReport may be "y" or "false".
TOPUP_REPORT_PARAM = {
    "type": "string",
    "description": "Send `y` to include the spend report; `false` (or omitting it) skips it.",
}
# ERRATA 1: cluster-era instance responses.
CLUSTER_INSTANCE_RESPONSE_OPS = {
    "createClusterInstanceLegacy": "ClusterInstanceResponse",
    "updateClusterInstanceLegacy": "ClusterInstanceResponse",
    "createClusterInstanceFromTemplateLegacy": "ClusterMarketplaceInstanceResponse",
}


def pascal(name: str) -> str:
    return name[0].upper() + name[1:]


class Drafter:
    """Turns the inventory into an OpenAPI 3.0.3 document."""

    def __init__(self, inv: dict[str, Any], wording: dict[str, Any]) -> None:
        self.inv = inv
        self.wording = wording
        self.enums: dict[str, Any] = inv["enums"]
        self.schemas: dict[str, Any] = {}
        self.ids: dict[str, str] = wording.get("operation_ids", {})

    # -- fields -------------------------------------------------------------------------------
    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": REF + name}

    def field(self, f: dict[str, Any], owner: str, name: str, desc: str | None) -> dict[str, Any]:
        """Schema for one inventory field."""
        if "ref" in f:
            return self.ref(f["ref"])
        if "enum_ref" in f:
            if (owner, name) in OPEN_ENUM_FIELDS:
                values = ", ".join(f"`{v}`" for v in self.enums[f["enum_ref"]]["values"])
                return {"type": "string", "description": f"Known values: {values}; others allowed."}
            return self.ref(f["enum_ref"])
        ftype = f.get("type")
        out: dict[str, Any]
        if ftype and "|" in ftype:
            parts = ftype.split("|")
            if "null" in parts:
                rest = [p for p in parts if p != "null"]
                out = self.field({**f, "type": rest[0]}, owner, name, None)
                out["nullable"] = True
            else:
                out = {"anyOf": [self.field({**f, "type": p}, owner, name, None) for p in parts]}
        elif ftype == "array":
            items = f.get("items") or {}
            item_schema = self.field(items, owner, name, None) if items else {}
            if "alt_items" in f:
                alt = self.field(f["alt_items"], owner, name, None)
                item_schema = {"anyOf": [item_schema, alt]}
            out = {"type": "array", "items": item_schema}
        elif ftype == "object":
            out = self.object_schema(f.get("fields") or {}, owner)
            if "additional_properties" in f:
                out["additionalProperties"] = self.field(
                    f["additional_properties"], owner, name, None
                )
        elif ftype in ("string", "number", "integer", "boolean"):
            out = {"type": ftype}
            if f.get("format"):
                out["format"] = f["format"]
        elif ftype is None and "fields" in f:
            out = self.object_schema(f["fields"], owner)
        else:
            out = {}
        if desc and "$ref" not in out:
            out["description"] = desc
        return out

    def object_schema(
        self,
        fields: dict[str, Any],
        owner: str,
        words: dict[str, str] | None = None,
        required_ok: bool = True,
    ) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required: list[str] = []
        for name, f in fields.items():
            props[name] = self.field(f, owner, name, (words or {}).get(name))
            if f.get("required") and required_ok:
                required.append(name)
        out: dict[str, Any] = {"type": "object"}
        if required:
            out["required"] = required
        out["properties"] = props
        return out

    # -- components ---------------------------------------------------------------------------
    def component_schemas(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        words = self.wording.get("schemas", {})
        for name, s in self.inv["schemas"].items():
            w = words.get(name, {})
            body = self.object_schema(s["fields"], name, w.get("fields"))
            body["description"] = w.get("description", s["description"])
            if "extends" in s:
                body = {
                    "allOf": [self.ref(s["extends"]), body],
                    "description": body.pop("description"),
                }
            out[name] = body
        ewords = self.wording.get("enums", {})
        for name, e in self.enums.items():
            desc = ewords.get(name, {}).get("description", e["description"])
            if e["type"] == "integer|string":
                out[name] = {
                    "description": desc
                    + " Known values: "
                    + ", ".join(f"`{v}` ({e['member_names'][str(v)]})" for v in e["values"])
                    + ".",
                    "anyOf": [{"type": "integer"}, {"type": "string"}],
                }
                continue
            schema: dict[str, Any] = {"type": e["type"], "description": desc, "enum": e["values"]}
            if "member_names" in e:
                schema["x-enum-varnames"] = [e["member_names"][str(v)] for v in e["values"]]
            out[name] = schema
        self.apply_schema_errata(out)
        out["ErrorResponse"]["properties"]["error"] = {
            "description": "Error flag or short error text, depending on the endpoint.",
            "anyOf": [{"type": "boolean"}, {"type": "string"}],
        }
        return out

    def apply_schema_errata(self, out: dict[str, Any]) -> None:
        # ERRATA 4: Deployment.project is a populated Project or a bare id.
        out["Deployment"]["properties"]["project"] = {
            "description": "The project, populated (current API) or as a bare id (older answers).",
            # The id comes first: mock servers cut the Project -> Deployment -> Project loop.
            "anyOf": [{"type": "string"}, self.ref("Project")],
        }
        # ERRATA 1: cluster-era create/update responses have their own ids.
        out["ClusterInstanceResponse"] = {
            "type": "object",
            "description": "Ids returned by the cluster-era instance create and update calls.",
            "properties": {
                k: {"type": "string"}
                for k in ("clusterId", "clusterInstanceId", "clusterInstanceOrderId", "topic")
            },
        }
        out["ClusterMarketplaceInstanceResponse"] = {
            "description": "Cluster-era ids plus the marketplace template the instance came from.",
            "allOf": [
                self.ref("ClusterInstanceResponse"),
                {
                    "type": "object",
                    "properties": {
                        "template": self.ref("MarketplaceApp"),
                        "templateId": {"type": "string"},
                    },
                },
            ],
        }

    # -- operations ---------------------------------------------------------------------------
    def param(self, p: dict[str, Any], where: str, op_id: str) -> dict[str, Any]:
        if p["name"] == "topupReport":
            schema: dict[str, Any] = dict(TOPUP_REPORT_PARAM)
        elif p.get("enum_ref"):
            schema = self.ref(p["enum_ref"])
        else:
            schema = {"type": p["type"]}
        required = where == "path" or bool(p.get("required"))
        desc = p.get("description")
        if p["name"] in ("skip", "limit"):  # ERRATA 6
            required = False
            schema = {"type": "integer", "minimum": 0}
            desc = (
                "Items to skip (the official SDK sends 0 for the first page)."
                if p["name"] == "skip"
                else "Page size (the official SDK sends it always)."
            )
        out: dict[str, Any] = {"name": p["name"], "in": where, "required": required}
        if desc:
            out["description"] = desc[0].upper() + desc[1:] + ("" if desc.endswith(".") else ".")
        out["schema"] = schema
        return out

    def response_schema(self, op: dict[str, Any], op_name: str) -> dict[str, Any] | None:
        r = op["response"]
        if op["id"] in CLUSTER_INSTANCE_RESPONSE_OPS:
            return self.ref(CLUSTER_INSTANCE_RESPONSE_OPS[op["id"]])
        if op["id"] == "getComputeProject":  # ERRATA 3
            return {"anyOf": [self.ref("ComputeProject"), self.ref("ComputeProjectEnvelope")]}
        if r["type"] == "array":
            return {"type": "array", "items": self.field(r["items"], op_name, "items", None)}
        if r.get("ref"):
            return self.ref(r["ref"])
        if r["type"] == "object":
            name = pascal(op_name) + "Response"
            self.schemas[name] = self.object_schema(r.get("fields") or {}, name)
            self.schemas[name]["description"] = f"Answer of `{op_name}`."
            return self.ref(name)
        return None

    def request_body(self, op: dict[str, Any], op_name: str) -> dict[str, Any] | None:
        b = op["request_body"]
        if not b:
            return None
        ct = b["content_type"]
        if b.get("ref"):
            schema: dict[str, Any] = self.ref(b["ref"])
        elif ct == "multipart/form-data":
            name = pascal(op_name) + "Body"
            fields = dict(b.get("fields") or {})
            chunk = fields.pop("chunk-{index}-{total}", None)
            body = self.object_schema(fields, op["id"])
            if chunk is not None:
                body["additionalProperties"] = {
                    "type": "string",
                    "format": "binary",
                    "description": "Slices of large files, in parts named `chunk-{index}-{total}`.",
                }
            self.schemas[name] = body
            schema = self.ref(name)
        else:
            name = pascal(op_name) + "Body"
            self.schemas[name] = self.object_schema(b.get("fields") or {}, op["id"])
            schema = self.ref(name)
        self.fix_body(op, self.schemas.get(schema["$ref"].removeprefix(REF), {}))
        return {"required": True, "content": {ct: {"schema": schema}}}

    def fix_body(self, op: dict[str, Any], body: dict[str, Any]) -> None:
        if op["id"] == "addProjectDomain":  # ERRATA 9
            body["required"] = [
                r for r in body.get("required", []) if r not in ("link", "deploymentEnvironments")
            ]
        if op["id"] == "createClusterInstanceLegacy":  # ERRATA 2
            conf = body["properties"]["configuration"]
            req = set(conf.get("required", [])) | {
                "folderName",
                "buildImage",
                "customInstanceSpecs",
            }
            conf["required"] = [k for k in conf["properties"] if k in req]

    def operation(self, op: dict[str, Any]) -> dict[str, Any]:
        op_name = self.ids.get(op["id"], op["id"])
        w = self.wording.get("operations", {}).get(op["id"], {})
        out: dict[str, Any] = {
            "operationId": op_name,
            "tags": [op["tag"]],
            "summary": w.get("summary") or f"{op['method']} {op['path']}",
        }
        desc = w.get("description", "")
        if op.get("renamed_to"):
            out["deprecated"] = True
            if "Superseded" not in desc:
                desc = (desc + f" Superseded by `{op['renamed_to']}`.").strip()
        elif op["id"].endswith(("Legacy", "Draft")):
            out["deprecated"] = True
        if desc:
            out["description"] = desc
        params = [self.param(p, "path", op["id"]) for p in op["path_params"]]
        params += [self.param(p, "query", op["id"]) for p in op["query_params"]]
        if params:
            out["parameters"] = params
        body = self.request_body(op, op_name)
        if body:
            out["requestBody"] = body
        out["responses"] = self.responses(op, op_name)
        if op["auth"].startswith("none"):
            out["security"] = []
        return out

    def responses(self, op: dict[str, Any], op_name: str) -> dict[str, Any]:
        r = op["response"]
        responses: dict[str, Any] = {}
        if r["type"] == "redirect":
            responses["302"] = {
                "description": "Browser redirect to the CLI's local listener with the OAuth code.",
                "headers": {"Location": {"schema": {"type": "string"}}},
            }
        elif r["type"] == "stream":
            responses["200"] = {
                "description": "Server-sent events (`event: message` with a JSON `data` line "
                "shaped like StreamEvent).",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            }
        else:
            schema = self.response_schema(op, op_name)
            responses["200"] = {
                "description": "Success.",
                "content": {"application/json": {"schema": schema}},
            }
        for code, (name, _) in ERROR_RESPONSES.items():
            responses[code] = {"$ref": f"#/components/responses/{name}"}
        return responses

    def relax_response_schemas(self, comps: dict[str, Any], paths: dict[str, Any]) -> None:
        """ERRATA 8: response entities require only their id; the API adds and drops keys.

        Schemas reachable from a request body keep the inventory's required flags (we send
        exactly what the document says); operation envelopes (``*Response``) keep theirs too.
        """
        request_roots = [
            media["schema"]
            for item in paths.values()
            for op in item.values()
            for media in op.get("requestBody", {}).get("content", {}).values()
        ]
        in_requests = self.reachable(request_roots, comps)
        for name in self.inv["schemas"]:
            if name in in_requests:
                continue
            for part in [comps[name], *comps[name].get("allOf", [])]:
                self.relax(part)

    def relax(self, schema: dict[str, Any]) -> None:
        if "required" in schema:
            keep = [k for k in schema["required"] if k in ("_id", "id")]
            if keep:
                schema["required"] = keep
            else:
                del schema["required"]
        for prop in schema.get("properties", {}).values():
            self.relax(prop)
            if isinstance(prop.get("items"), dict):
                self.relax(prop["items"])

    @staticmethod
    def reachable(roots: list[Any], comps: dict[str, Any]) -> set[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(REF):
                    name = ref.removeprefix(REF)
                    if name not in seen:
                        seen.add(name)
                        stack.append(comps[name])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return seen

    def document(self) -> dict[str, Any]:
        comps = self.component_schemas()
        comps["ComputeProjectEnvelope"] = {
            "type": "object",
            "description": "Wrapped form `{cluster: ...}` seen for the predecessor endpoint.",
            "required": ["cluster"],
            "properties": {"cluster": self.ref("ComputeProject")},
        }
        paths: dict[str, Any] = {}
        tags: list[str] = []
        for op in self.inv["operations"]:
            paths.setdefault(op["path"], {})[op["method"].lower()] = self.operation(op)
            if op["tag"] not in tags:
                tags.append(op["tag"])
        comps.update(self.schemas)
        self.relax_response_schemas(comps, paths)
        doc: dict[str, Any] = {
            "openapi": "3.0.3",
            "info": {
                "title": "Spheron API",
                "version": DOC_VERSION,
                "description": INFO_DESCRIPTION,
            },
            "servers": [{"url": "https://api-v2.spheron.network"}],
            "security": [{"bearerAuth": []}],
            "tags": [{"name": t} for t in tags],
            "paths": paths,
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "API token from the Spheron dashboard (Settings -> "
                        "Tokens), scoped to one organization, expiring after 1 day to 1 year.",
                    }
                },
                "responses": {
                    name: {
                        "description": text,
                        "content": {"application/json": {"schema": self.ref("ErrorResponse")}},
                    }
                    for name, text in ERROR_RESPONSES.values()
                },
                "schemas": dict(sorted(comps.items())),
            },
        }
        return doc


INFO_DESCRIPTION = """\
The Spheron REST API: organizations, site projects, deployments, domains, environment variables,
storage buckets and uploads, and compute instances.

This document is the pinned copy that spheron-api-client is generated from. The published
Swagger document (https://api-v2.spheron.network/docs/rest-api/) could not be downloaded when it
was written, so it was reconstructed from what public client code shows about the API: the
official TypeScript SDK, the Terraform provider and two community clients. Paths, names and types
follow those sources; the wording is ours. Where sources disagree, fields are modeled leniently
(optional, or either shape). When the published document is reachable, it supersedes this one:
`make fetch-spec` stages it next to this file and reports the differences.

Conventions: JSON in and out; `Authorization: Bearer <token>`; failed authentication answers 403;
versions are per endpoint (`/v1/...`, `/v2/...`); the API may add response keys and enum values
without a version bump, so clients must tolerate unknown ones. Operations marked deprecated are
historical paths that were renamed; their successors are named in each description.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", type=Path, default=DEFAULT_INVENTORY)
    parser.add_argument("--wording", type=Path, default=ROOT / "scripts" / "spec_wording.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "openapi" / "spheron-api.yaml")
    args = parser.parse_args(argv)
    inv = yaml.safe_load(args.inventory.read_text())
    wording = yaml.safe_load(args.wording.read_text()) if args.wording.exists() else {}
    doc = Drafter(inv, wording).document()
    text = yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True)
    args.out.write_text(
        "# Pinned Spheron API document. See info.description for provenance.\n" + text
    )
    print(f"wrote {args.out} ({len(inv['operations'])} operations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
