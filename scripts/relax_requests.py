"""Make the request side of the pinned document as lenient as the server (issue 11).

Usage:
    python -m scripts.relax_requests            # rewrite openapi/spheron-api.yaml in place
    python -m scripts.relax_requests --check    # exit 1 if the document is not relaxed yet

The document was drafted from what client code sends, so its request schemas described the SDKs'
typings, not what the API accepts. This one-off, idempotent pass (the YAML stays the source of
truth; rerunning it on a relaxed document changes nothing) applies the request rules that the
README ("The pinned document") states:

* request and response never share an object schema: an object schema reached from both a
  request body and a response (or a parameter) gets a request-side copy named ``<Name>Input``;
  enums stay shared (the generated enums already accept unknown values);
* every JSON request object accepts unknown keys (``additionalProperties: true``), multipart
  bodies accept extra file parts (one file or several under one name);
* a request field is required only in ``ESSENTIAL`` (identifiers without which the request means
  nothing); every other field is optional, and the schema's description names what was relaxed;
* every request field is nullable: an explicit ``None`` is sent as ``null``, an unset field is
  left out. A nullable ``$ref`` or union is written as ``anyOf: [..., NULL]``, which the generator
  renders as ``... | None`` and which openapi-core and Prism validate (``nullable`` next to a bare
  ``$ref``/``anyOf`` is ignored by them);
* integer and number fields (ports, counts, sizes, durations) accept the number or a numeric
  string, and the client sends what the caller gave;
* inline request objects become named schemas with the name the generator already gave their
  model, so the generated class names do not change;
* a JSON request body without a required field is optional (``requestBody.required: false``);
* query parameters are optional unless listed in ``QUERY_REQUIRED``; optional ones may be sent
  empty (``allowEmptyValue``: ``state=``, ``name=``, ``maxSize=``); integer query parameters
  accept numeric strings and optional enum query parameters any string.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client.utils import ClassName

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "openapi" / "spheron-api.yaml"
HEADER = "# Pinned Spheron API document. See info.description for provenance.\n"
REF = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# The null branch of a nullable union: validators that ignore `nullable` without `type` still
# accept null through the enum, and the generator renders it as `None`.
NULL: dict[str, Any] = {"nullable": True, "enum": [None]}
# A number sent as a string: not constrained further (lenient wins; the server parses it).
INT_STRING: dict[str, Any] = {"type": "string", "description": "The integer as a string."}
NUMBER_STRING: dict[str, Any] = {"type": "string", "description": "The number as a string."}

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}

# Request fields that stay required: the identifier the operation acts on. No evidence shows the
# server rejecting the absence of any other field.
ESSENTIAL: dict[str, set[str]] = {
    "RemoveOrganizationMemberBody": {"userId"},
    "PinCidsBody": {"cids"},
    "AddBucketIpnsRecordBody": {"uploadId"},
    "UpdateBucketIpnsRecordBody": {"uploadId"},
    "ListIpnsNamesForOrganizationBody": {"organizationId"},
    "MigrateProjectsToStorageBody": {"webappOrganizationId"},
    "MigrateToStorageLegacyBody": {"webappOrganizationId"},
}

# Query parameters that stay required (operationId -> names): identifiers and the finish action.
QUERY_REQUIRED: dict[str, set[str]] = {
    "initiateUpload": {"bucket"},
    "finishUpload": {"action"},
    "finishUploadDeployment": {"action"},
    "pinCid": {"bucket"},
    "pinCids": {"bucket"},
    "uploadDeploymentLegacy": {"project"},
    "pinCidLegacy": {"project"},
    "initiateUploadDeployment": {"project"},
    "pinCidDraft": {"project"},
    "listComputeInstances": {"organizationId"},
    "getComputeInstanceMetrics": {"service"},
    "subscribeEvents": {"sessionId"},
}
QUERY_ID_SUFFIXES = ("topicId",)

MULTIPART_NOTE = (
    "Multipart request model, lenient like the server: every part is optional (real callers send "
    "uploads without some of the parts the typings require; see `openapi/evidence/`)."
)
LENIENT_NOTE = (
    "Request model, lenient like the server: unknown keys are sent as given, every field may be "
    "null (sent as `null`) or left out (not sent)."
)


class Relaxer:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas: dict[str, Any] = doc["components"]["schemas"]
        self.done: set[str] = set()

    # --- reachability -------------------------------------------------------------------------
    def _refs(self, node: Any, acc: set[str]) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF):
                name = ref[len(REF) :]
                if name not in acc:
                    acc.add(name)
                    self._refs(self.schemas[name], acc)
            for value in node.values():
                self._refs(value, acc)
        elif isinstance(node, list):
            for value in node:
                self._refs(value, acc)

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        out = []
        for path, item in self.doc["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    out.append((path, method, item[method]))
        return out

    def response_side(self) -> set[str]:
        acc: set[str] = set()
        responses = self.doc["components"].get("responses", {})
        self._refs(responses, acc)
        for path, _, op in self.operations():
            self._refs(op.get("responses", {}), acc)
            self._refs(op.get("parameters", []), acc)
            self._refs(self.doc["paths"][path].get("parameters", []), acc)
        return acc

    # --- the pass -----------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        self.shared = self.response_side()
        for _, _, op in self.operations():
            body = op.get("requestBody")
            if body:
                multipart = False
                for media, content in body.get("content", {}).items():
                    multipart = multipart or media.startswith("multipart/")
                    content["schema"] = self.rewrite(content["schema"], multipart=multipart)
                if not multipart:
                    body["required"] = any(
                        self.schemas[self._name(c["schema"])].get("required")
                        for c in body["content"].values()
                        if "$ref" in c["schema"]
                    )
            self.relax_query(op)
        return self.doc

    @staticmethod
    def _name(schema: dict[str, Any]) -> str:
        return str(schema["$ref"])[len(REF) :]

    def rewrite(self, node: dict[str, Any], *, multipart: bool = False) -> dict[str, Any]:
        """Point a request-side reference at a request-side schema and relax that schema."""
        if "$ref" not in node:
            return node
        name = self._name(node)
        target = self.schemas[name]
        if "enum" in target or not self._is_object(target):
            return node
        if name in self.shared and not name.endswith("Input"):
            new = f"{name}Input"
            if new not in self.schemas:
                self.schemas[new] = copy.deepcopy(target)
            name = new
        if name not in self.done:
            self.done.add(name)
            self.relax_object(self.schemas[name], name, multipart=multipart)
        return {"$ref": REF + name}

    @staticmethod
    def _is_object(schema: dict[str, Any]) -> bool:
        return schema.get("type") == "object" or "properties" in schema

    def relax_object(self, schema: dict[str, Any], class_name: str, *, multipart: bool) -> None:
        if multipart:
            extra = schema.get("additionalProperties")
            if not (isinstance(extra, dict) and "anyOf" in extra):
                described = isinstance(extra, dict) and extra.get("description")
                schema["additionalProperties"] = {
                    "anyOf": [dict(BINARY), {"type": "array", "items": dict(BINARY)}],
                    "description": described
                    or "Further file parts, named as the caller names them (after the file, "
                    "`image`, `filekey`, ...); a list sends several parts under one name.",
                }
            relaxed = self.relax_required(schema, class_name)
            description = str(schema.get("description", "")).strip()
            if relaxed and MULTIPART_NOTE not in description:
                fields = ", ".join(f"`{f}`" for f in relaxed)
                note = f"{MULTIPART_NOTE} Client typings declare {fields} as required."
                schema["description"] = f"{description}\n\n{note}" if description else note
            return
        if schema.get("additionalProperties") in (None, False):
            schema["additionalProperties"] = True
        elif isinstance(schema["additionalProperties"], dict):
            schema["additionalProperties"] = self.relax_value(
                schema["additionalProperties"], f"{class_name}AdditionalProperty", nullable=False
            )
        relaxed = self.relax_required(schema, class_name)
        for prop, value in list(schema.get("properties", {}).items()):
            schema["properties"][prop] = self.relax_value(
                value, str(ClassName(f"{class_name}_{prop}", "")), nullable=True
            )
        self.describe(schema, relaxed)

    @staticmethod
    def relax_required(schema: dict[str, Any], class_name: str) -> list[str]:
        """Keep only the ``ESSENTIAL`` fields required; return the fields made optional."""
        keep = ESSENTIAL.get(class_name, set())
        required = schema.get("required", [])
        relaxed = [f for f in required if f not in keep]
        if keep & set(required):
            schema["required"] = [f for f in required if f in keep]
        else:
            schema.pop("required", None)
        return relaxed

    @staticmethod
    def describe(schema: dict[str, Any], relaxed: list[str]) -> None:
        """Say in the schema's description that it is lenient, and what was relaxed."""
        description = str(schema.get("description", "")).strip()
        if LENIENT_NOTE not in description:
            note = LENIENT_NOTE
            if relaxed:
                fields = ", ".join(f"`{f}`" for f in relaxed)
                note += (
                    f" Client typings declare {fields} as required; no evidence shows the server "
                    "rejecting their absence, so they are optional here (lenient wins)."
                )
            schema["description"] = f"{description}\n\n{note}" if description else note

    def relax_value(
        self, value: dict[str, Any], class_name: str, *, nullable: bool
    ) -> dict[str, Any]:
        """Relax one field's schema; ``class_name`` is the generator's name for an inline object."""
        value = dict(value)
        if "$ref" in value:
            core = self.rewrite({"$ref": value.pop("$ref")})
            return self._nullable_union([core], value, nullable)
        for key in ("anyOf", "oneOf"):
            if key in value:
                branches = [b for b in value.pop(key) if b != NULL]
                out = []
                for i, branch in enumerate(branches):
                    relaxed = self.relax_value(branch, f"{class_name}Type{i}", nullable=False)
                    for one in relaxed["anyOf"] if set(relaxed) == {"anyOf"} else [relaxed]:
                        if one not in out:
                            out.append(one)
                if any(b.get("type") == "integer" for b in out) and not any(
                    b.get("type") == "string" and "enum" not in b for b in out
                ):
                    out.append(dict(INT_STRING))
                return self._nullable_union(out, value, nullable)
        kind = value.get("type")
        if kind in ("integer", "number") and "enum" not in value:
            meta: dict[str, Any] = {
                k: value.pop(k) for k in ("description", "example", "default") if k in value
            }
            value.pop("nullable", None)
            text = INT_STRING if kind == "integer" else NUMBER_STRING
            return self._nullable_union([value, dict(text)], meta, nullable)
        if kind == "array":
            value["items"] = self.relax_value(value["items"], f"{class_name}Item", nullable=False)
        elif self._is_object(value):
            # An inline object becomes a named schema with the generator's name for its model, so
            # making it nullable (a union) does not rename the model.
            meta = {k: value.pop(k) for k in ("description",) if k in value and nullable}
            value.pop("nullable", None)
            if class_name in self.schemas:
                raise SystemExit(f"relax-requests: {class_name} already names a schema")
            self.schemas[class_name] = value
            self.done.add(class_name)
            self.relax_object(value, class_name, multipart=False)
            return self._nullable_union([{"$ref": REF + class_name}], meta, nullable)
        if nullable and kind is not None:
            value["nullable"] = True
        return value

    @staticmethod
    def _nullable_union(
        branches: list[dict[str, Any]], meta: dict[str, Any], nullable: bool
    ) -> dict[str, Any]:
        if not nullable and len(branches) == 1:
            return (
                {**branches[0], **meta}
                if "$ref" not in branches[0] or not meta
                else {
                    "allOf": branches,
                    **meta,
                }
            )
        out: dict[str, Any] = {"anyOf": [*branches, *([copy.deepcopy(NULL)] if nullable else [])]}
        out.update({k: v for k, v in meta.items() if k != "nullable"})
        return out

    def relax_query(self, op: dict[str, Any]) -> None:
        keep = QUERY_REQUIRED.get(op.get("operationId", ""), set())
        for param in op.get("parameters", []):
            if param.get("in") != "query":
                continue
            name = param["name"]
            if param.get("required") and name not in keep and not name.endswith(QUERY_ID_SUFFIXES):
                param["required"] = False
            if not param.get("required"):
                param["allowEmptyValue"] = True  # callers send empty filters (`state=`)
            schema = param["schema"]
            if schema.get("type") == "integer" and "enum" not in schema:
                param["schema"] = {"anyOf": [schema, dict(INT_STRING)]}
            elif (
                "$ref" in schema
                and "enum" in self.schemas[self._name(schema)]
                and not param.get("required")  # filters: any string, an empty `state=` too
            ):
                param["schema"] = {"anyOf": [schema, {"type": "string"}]}


def relax(doc: dict[str, Any]) -> dict[str, Any]:
    return Relaxer(doc).run()


def dump(doc: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", type=Path, default=DOCUMENT)
    parser.add_argument("--check", action="store_true", help="fail if the pass changes anything")
    args = parser.parse_args(argv)
    raw = args.document.read_text()
    out = dump(relax(yaml.safe_load(raw)))
    if args.check:
        if out != raw:
            print("relax-requests: the document is not relaxed; run scripts.relax_requests")
            return 1
        return 0
    args.document.write_text(out)
    print(f"relax-requests: wrote {args.document}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
