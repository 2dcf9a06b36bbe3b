"""Tests for scripts.spec_diff (every change kind and its breaking flag) and scripts.diff_spec."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import diff_spec
from scripts.spec_diff import (
    KINDS,
    Change,
    diff_documents,
    render_markdown,
    render_text,
    summary_line,
)

Doc = dict[str, Any]
Mutation = Callable[[Doc], object]


def _json_content(schema: Doc) -> Doc:
    return {"application/json": {"schema": schema}}


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


def base() -> Doc:
    """A small pet store: Pet is response-only, NewPet request-only, Unused unreferenced."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        {
                            "name": "sort",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["asc", "desc"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": _json_content({"type": "array", "items": _ref("Pet")}),
                        }
                    },
                },
                "post": {
                    "requestBody": {"required": True, "content": _json_content(_ref("NewPet"))},
                    "responses": {
                        "201": {"description": "created", "content": _json_content(_ref("Pet"))},
                        "400": {"description": "bad request"},
                    },
                },
            },
            "/pets/{petId}": {
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "responses": {
                        "200": {"description": "ok", "content": _json_content(_ref("Pet"))}
                    }
                },
                "delete": {"responses": {"204": {"description": "deleted"}}},
            },
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "tag": {"type": "string"},
                        "status": _ref("Status"),
                    },
                },
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "tag": {"type": "string"},
                        "kind": {"type": "string", "enum": ["cat", "dog"]},
                    },
                },
                "Status": {"type": "string", "enum": ["available", "sold"]},
                "Unused": {"type": "object", "properties": {"a": {"type": "string"}}},
            }
        },
    }


def changed(mutate: Mutation, old: Doc | None = None) -> list[Change]:
    """Diff ``old`` (default: base()) against a mutated copy of it."""
    old = old if old is not None else base()
    new = copy.deepcopy(old)
    mutate(new)
    return diff_documents(old, new)


def triples(changes: list[Change]) -> list[tuple[str, str, bool]]:
    return [(c.kind, c.location, c.breaking) for c in changes]


def _schemas(doc: Doc) -> Doc:
    schemas: Doc = doc["components"]["schemas"]
    return schemas


def _params(doc: Doc, path: str = "/pets", method: str = "get") -> list[Doc]:
    params: list[Doc] = doc["paths"][path][method]["parameters"]
    return params


def _add_owners(doc: Doc) -> None:
    doc["paths"]["/owners"] = {"get": {"responses": {"200": {"description": "ok"}}}}


def _add_param(required: bool) -> Mutation:
    def mutate(doc: Doc) -> None:
        param = {"name": "q", "in": "query", "required": required, "schema": {"type": "string"}}
        _params(doc).append(param)

    return mutate


def _set_param_required(required: bool, index: int = 0) -> Mutation:
    def mutate(doc: Doc) -> None:
        _params(doc)[index]["required"] = required

    return mutate


def _set(path: list[str], value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list[str]) -> Mutation:
    def mutate(doc: Doc) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def _add_field(schema: str, name: str, required: bool, **extra: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        target = _schemas(doc)[schema]
        target["properties"][name] = {"type": "string", **extra}
        if required:
            target.setdefault("required", []).append(name)

    return mutate


def _require(schema: str, name: str) -> Mutation:
    return lambda doc: _schemas(doc)[schema].setdefault("required", []).append(name)


def _unrequire(schema: str, name: str) -> Mutation:
    return lambda doc: _schemas(doc)[schema]["required"].remove(name)


def _list_add(path: list[str], value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node: Any = doc
        for key in path:
            node = node[key]
        node.append(value)

    return mutate


def _list_remove(path: list[str], value: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        node: Any = doc
        for key in path:
            node = node[key]
        node.remove(value)

    return mutate


def _rename_path_param(doc: Doc) -> None:
    doc["paths"]["/pets/{id}"] = doc["paths"].pop("/pets/{petId}")
    doc["paths"]["/pets/{id}"]["parameters"][0]["name"] = "id"


PETS = ["paths", "/pets"]
PET = ["components", "schemas", "Pet"]
NEWPET = ["components", "schemas", "NewPet"]

# (id, mutation, expected [(kind, location, breaking)])
CASES: list[tuple[str, Mutation, list[tuple[str, str, bool]]]] = [
    ("operation added", _add_owners, [("operation-added", "GET /owners", False)]),
    (
        "operation removed",
        _delete(["paths", "/pets/{petId}", "delete"]),
        [("operation-removed", "DELETE /pets/{petId}", True)],
    ),
    (
        "operation deprecated",
        _set([*PETS, "get", "deprecated"], True),
        [("operation-deprecated", "GET /pets", False)],
    ),
    (
        "optional parameter added",
        _add_param(False),
        [("parameter-added", "GET /pets parameter query.q", False)],
    ),
    (
        "required parameter added",
        _add_param(True),
        [("parameter-added", "GET /pets parameter query.q", True)],
    ),
    (
        "parameter removed",
        lambda d: _params(d).pop(0),
        [("parameter-removed", "GET /pets parameter query.limit", True)],
    ),
    (
        "parameter made required",
        _set_param_required(True),
        [("made-required", "GET /pets parameter query.limit", True)],
    ),
    (
        "parameter type changed",
        lambda d: _params(d)[0]["schema"].update(type="string"),
        [("type-changed", "GET /pets parameter query.limit", True)],
    ),
    (
        "inline parameter enum value added",
        lambda d: _params(d)[1]["schema"]["enum"].append("random"),
        [("enum-value-added", "GET /pets parameter query.sort", False)],
    ),
    (
        "inline parameter enum value removed",
        lambda d: _params(d)[1]["schema"]["enum"].remove("desc"),
        [("enum-value-removed", "GET /pets parameter query.sort", True)],
    ),
    (
        "path parameter renamed",
        _rename_path_param,
        [
            ("parameter-removed", "GET /pets/{id} parameter path.petId", True),
            ("parameter-added", "GET /pets/{id} parameter path.id", True),
            ("parameter-removed", "DELETE /pets/{id} parameter path.petId", True),
            ("parameter-added", "DELETE /pets/{id} parameter path.id", True),
        ],
    ),
    (
        "optional request body added",
        _set(["paths", "/pets/{petId}", "delete", "requestBody"], {"content": {}}),
        [("request-body-added", "DELETE /pets/{petId} requestBody", False)],
    ),
    (
        "required request body added",
        _set(["paths", "/pets/{petId}", "delete", "requestBody"], {"required": True}),
        [("request-body-added", "DELETE /pets/{petId} requestBody", True)],
    ),
    (
        "request body removed",
        _delete([*PETS, "post", "requestBody"]),
        [("request-body-removed", "POST /pets requestBody", True)],
    ),
    (
        "request body made optional",
        _set([*PETS, "post", "requestBody", "required"], False),
        [("made-optional", "POST /pets requestBody", False)],
    ),
    (
        "response added",
        _set([*PETS, "post", "responses", "409"], {"description": "conflict"}),
        [("response-added", "POST /pets responses.409", False)],
    ),
    (
        "success response removed",
        _delete([*PETS, "post", "responses", "201"]),
        [("response-removed", "POST /pets responses.201", True)],
    ),
    (
        "error response removed",
        _delete([*PETS, "post", "responses", "400"]),
        [("response-removed", "POST /pets responses.400", False)],
    ),
    (
        "schema added",
        _set(["components", "schemas", "Owner"], {"type": "object"}),
        [("schema-added", "schemas.Owner", False)],
    ),
    (
        "schema removed",
        _delete(["components", "schemas", "Unused"]),
        [("schema-removed", "schemas.Unused", True)],
    ),
    (
        "optional request field added",
        _add_field("NewPet", "color", False),
        [("field-added", "schemas.NewPet.color", False)],
    ),
    (
        "required request field added",
        _add_field("NewPet", "color", True),
        [("field-added", "schemas.NewPet.color", True)],
    ),
    (
        "required response field added",
        _add_field("Pet", "color", True),
        [("field-added", "schemas.Pet.color", False)],
    ),
    (
        "required readOnly field added to a request schema",
        _add_field("NewPet", "createdAt", True, readOnly=True),
        [("field-added", "schemas.NewPet.createdAt", False)],
    ),
    (
        "response field removed",
        _delete([*PET, "properties", "tag"]),
        [("field-removed", "schemas.Pet.tag", True)],
    ),
    (
        "request field removed",
        _delete([*NEWPET, "properties", "tag"]),
        [("field-removed", "schemas.NewPet.tag", True)],
    ),
    (
        "request field made required",
        _require("NewPet", "tag"),
        [("made-required", "schemas.NewPet.tag", True)],
    ),
    (
        "response field made required",
        _require("Pet", "tag"),
        [("made-required", "schemas.Pet.tag", False)],
    ),
    (
        "request field made optional",
        _unrequire("NewPet", "name"),
        [("made-optional", "schemas.NewPet.name", False)],
    ),
    (
        "response field made optional",
        _unrequire("Pet", "name"),
        [("made-optional", "schemas.Pet.name", True)],
    ),
    (
        "unreferenced schema field made required (treated as request and response)",
        _require("Unused", "a"),
        [("made-required", "schemas.Unused.a", True)],
    ),
    (
        "field type changed",
        _set([*PET, "properties", "id", "type"], "integer"),
        [("type-changed", "schemas.Pet.id", True)],
    ),
    (
        "field format changed",
        _set([*PET, "properties", "tag", "format"], "date-time"),
        [("type-changed", "schemas.Pet.tag", True)],
    ),
    (
        "component enum value added",
        _list_add(["components", "schemas", "Status", "enum"], "pending"),
        [("enum-value-added", "schemas.Status", False)],
    ),
    (
        "component enum value removed",
        _list_remove(["components", "schemas", "Status", "enum"], "sold"),
        [("enum-value-removed", "schemas.Status", True)],
    ),
    (
        "inline field enum value removed",
        _list_remove([*NEWPET, "properties", "kind", "enum"], "dog"),
        [("enum-value-removed", "schemas.NewPet.kind", True)],
    ),
    (
        "inline response schema replaces a $ref (followed)",
        _set(
            ["paths", "/pets/{petId}", "get", "responses", "200", "content"],
            _json_content(
                {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "status": _ref("Status"),
                    },
                }
            ),
        ),
        [("field-removed", "GET /pets/{petId} responses.200.tag", True)],
    ),
    (
        "array items in an inline response",
        _set(
            [*PETS, "get", "responses", "200", "content", "application/json", "schema", "items"],
            {"type": "string"},
        ),
        [("type-changed", "GET /pets responses.200[]", True)],
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_change_kind_and_breaking_flag(
    mutate: Mutation, expected: list[tuple[str, str, bool]]
) -> None:
    assert triples(changed(mutate)) == expected


def test_cases_cover_every_kind() -> None:
    covered = {kind for _, _, expected in CASES for kind, _, _ in expected}
    assert covered == set(KINDS)


def test_identical_documents_have_no_changes() -> None:
    assert diff_documents(base(), base()) == []


def test_parameter_made_optional_is_not_breaking() -> None:
    old = base()
    _params(old)[0]["required"] = True
    assert triples(changed(_set_param_required(False), old)) == [
        ("made-optional", "GET /pets parameter query.limit", False)
    ]


def test_request_body_made_required_is_breaking() -> None:
    old = base()
    old["paths"]["/pets"]["post"]["requestBody"]["required"] = False
    mutate = _set([*PETS, "post", "requestBody", "required"], True)
    assert triples(changed(mutate, old)) == [("made-required", "POST /pets requestBody", True)]


def test_already_deprecated_operation_is_not_reported_again() -> None:
    old = base()
    old["paths"]["/pets"]["get"]["deprecated"] = True
    assert changed(lambda d: None, old) == []


def test_nested_schema_inherits_the_direction_of_its_user() -> None:
    old = base()
    _schemas(old)["Owner"] = {"type": "object", "properties": {"email": {"type": "string"}}}
    _schemas(old)["Pet"]["properties"]["owner"] = _ref("Owner")
    # Owner is only reachable from responses, through Pet.
    assert triples(changed(_require("Owner", "email"), old)) == [
        ("made-required", "schemas.Owner.email", False)
    ]
    assert triples(changed(_unrequire("Pet", "id"), old)) == [
        ("made-optional", "schemas.Pet.id", True)
    ]


def test_renamed_component_with_same_shape_is_quiet() -> None:
    def rename(doc: Doc) -> None:
        _schemas(doc)["Animal"] = _schemas(doc).pop("Pet")
        text = json.dumps(doc).replace("#/components/schemas/Pet", "#/components/schemas/Animal")
        doc.clear()
        doc.update(json.loads(text))

    assert triples(changed(rename)) == [
        ("schema-added", "schemas.Animal", False),
        ("schema-removed", "schemas.Pet", True),
    ]


def test_all_of_parts_are_merged() -> None:
    old = base()
    _schemas(old)["Base"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    _schemas(old)["Pet"] = {
        "allOf": [_ref("Base"), {"type": "object", "properties": {"name": {"type": "string"}}}]
    }

    def inline(doc: Doc) -> None:
        doc["paths"]["/pets/{petId}"]["get"]["responses"]["200"]["content"] = _json_content(
            {"type": "object", "properties": {"id": {"type": "integer"}}}
        )

    assert triples(changed(inline, old)) == [
        ("field-removed", "GET /pets/{petId} responses.200.name", True),
        ("type-changed", "GET /pets/{petId} responses.200.id", True),
    ]


def test_single_ref_all_of_wrapper_is_transparent() -> None:
    """NestJS wraps a described $ref property as ``allOf: [$ref]``."""
    wrap = _set([*PET, "properties", "status"], {"allOf": [_ref("Status")], "description": "x"})
    assert changed(wrap) == []


def test_recursive_schemas_terminate() -> None:
    old = base()
    _schemas(old)["Node"] = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": _ref("Node")}},
    }
    _schemas(old)["Tree"] = {
        "type": "object",
        "properties": {"kids": {"type": "array", "items": _ref("Tree")}},
    }

    def swap(doc: Doc) -> None:
        _schemas(doc)["Node"]["properties"]["children"]["items"] = _ref("Tree")

    assert triples(changed(swap, old)) == [
        ("field-removed", "schemas.Node.children[].children", True),
        ("field-added", "schemas.Node.children[].kids", False),
    ]


def test_non_json_media_type_appears_in_location() -> None:
    old = base()
    content = old["paths"]["/pets"]["post"]["requestBody"]["content"]
    content["multipart/form-data"] = {"schema": {"type": "object", "properties": {}}}

    def add_file(doc: Doc) -> None:
        schema = doc["paths"]["/pets"]["post"]["requestBody"]["content"]["multipart/form-data"]
        schema["schema"]["properties"]["file"] = {"type": "string", "format": "binary"}
        schema["schema"]["required"] = ["file"]

    assert triples(changed(add_file, old)) == [
        ("field-added", "POST /pets requestBody[multipart/form-data].file", True)
    ]


def test_refs_to_shared_parameters_and_responses_are_resolved() -> None:
    old = base()
    old["components"]["parameters"] = {
        "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    }
    old["components"]["responses"] = {
        "PetList": {"description": "ok", "content": _json_content({"type": "array"})}
    }
    old["paths"]["/pets"]["get"]["parameters"][0] = {"$ref": "#/components/parameters/Limit"}
    old["paths"]["/pets"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/PetList"}

    def mutate(doc: Doc) -> None:
        doc["components"]["parameters"]["Limit"]["required"] = True
        doc["components"]["responses"]["PetList"]["content"] = _json_content({"type": "object"})

    assert triples(changed(mutate, old)) == [
        ("made-required", "GET /pets parameter query.limit", True),
        ("type-changed", "GET /pets responses.200", True),
    ]


# --- renderers --------------------------------------------------------------------------

SAMPLE = [
    Change("operation-removed", "DELETE /pets/{petId}", "operation removed", True),
    Change("operation-added", "GET /owners", "operation added", False),
    Change("enum-value-added", "schemas.Status", 'enum value `"pending"` added', False),
]


def test_summary_line() -> None:
    assert summary_line(SAMPLE) == "3 changes (1 breaking, 2 non-breaking)"
    assert summary_line(SAMPLE[:1]) == "1 change (1 breaking, 0 non-breaking)"


def test_render_text_groups_breaking_first() -> None:
    assert render_text(SAMPLE) == (
        "3 changes (1 breaking, 2 non-breaking)\n"
        "Breaking:\n"
        "  [operation-removed] DELETE /pets/{petId}: operation removed\n"
        "Non-breaking:\n"
        "  [operation-added] GET /owners: operation added\n"
        '  [enum-value-added] schemas.Status: enum value `"pending"` added\n'
    )
    assert render_text([]) == "No API changes.\n"


def test_render_markdown_is_a_changelog_section() -> None:
    assert render_markdown(SAMPLE, title="API changes in 1.1.0") == (
        "### API changes in 1.1.0\n"
        "\n"
        "#### Breaking\n"
        "\n"
        "- `DELETE /pets/{petId}`: operation removed\n"
        "\n"
        "#### Non-breaking\n"
        "\n"
        "- `GET /owners`: operation added\n"
        '- `schemas.Status`: enum value `"pending"` added\n'
    )
    assert render_markdown(SAMPLE[1:], level=2).startswith("## API changes\n\n### Non-breaking\n")
    assert "Breaking" not in render_markdown(SAMPLE[1:]).replace("Non-breaking", "")
    assert render_markdown([]) == "### API changes\n\nNo API changes.\n"


# --- CLI --------------------------------------------------------------------------------


def _write_pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = base(), base()
    _add_owners(new)
    del new["paths"]["/pets/{petId}"]["delete"]
    old_path, new_path = tmp_path / "old.yaml", tmp_path / "new.json"
    old_path.write_text(yaml.safe_dump(old), encoding="utf-8")
    new_path.write_text(json.dumps(new), encoding="utf-8")
    return old_path, new_path


def test_cli_prints_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path = _write_pair(tmp_path)
    assert diff_spec.main([str(old_path), str(new_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 changes (1 breaking, 1 non-breaking)\n")
    assert "[operation-removed] DELETE /pets/{petId}" in out
    assert "[operation-added] GET /owners" in out


def test_cli_prints_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path = _write_pair(tmp_path)
    assert diff_spec.main([str(old_path), str(new_path), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### API changes\n\n#### Breaking\n\n- `DELETE /pets/{petId}`")
    assert "#### Non-breaking\n\n- `GET /owners`: operation added" in out


def test_cli_no_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "same.yaml"
    path.write_text(yaml.safe_dump(base()), encoding="utf-8")
    assert diff_spec.main([str(path), str(path)]) == 0
    assert capsys.readouterr().out == "No API changes.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("openapi: [3.0", "invalid YAML"),
        ('{"swagger": "2.0", "info": {}, "paths": {}}', "Swagger 2.0"),
        ('{"hello": "world"}', "not an OpenAPI 3 or Swagger 2.0 document"),
    ],
)
def test_cli_rejects_unusable_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(base()), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    assert diff_spec.main([str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diff-spec: error: ")
    assert message in err


def test_cli_fail_on_breaking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_path, new_path = _write_pair(tmp_path)
    assert diff_spec.main([str(old_path), str(new_path), "--fail-on-breaking"]) == 1
    captured = capsys.readouterr()
    assert "[operation-removed] DELETE /pets/{petId}" in captured.out
    assert "breaking changes found" in captured.err
    # Only additions: the gate stays open.
    assert diff_spec.main([str(old_path), str(old_path), "--fail-on-breaking"]) == 0
    assert diff_spec.main([str(new_path), str(old_path), "--fail-on-breaking"]) == 1


@pytest.mark.parametrize("argv", [[], ["", ""], ["only-one.yaml"]])
def test_cli_without_documents_says_what_it_needs(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert diff_spec.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("diff-spec: error: give the two documents")
    assert "make diff-spec OLD=old.yaml NEW=new.yaml" in err


def test_make_diff_spec_without_arguments() -> None:
    import subprocess

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        ["make", "-s", "diff-spec"], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "give the two documents" in result.stderr
    assert "Traceback" not in result.stderr
